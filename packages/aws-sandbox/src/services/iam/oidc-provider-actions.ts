// IAM OpenID Connect providers: create, read, list, delete, client ids, thumbprints.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import type { OidcProvider } from '../../state/iam-state.js';
import { iamOf } from './iam-access.js';
import { entityAlreadyExists, limitExceeded, noSuchEntity, validationError } from './iam-errors.js';
import { mergeTags } from './iam-lists.js';
import { checkIssuerUrl, providerUrl } from './oidc-url.js';

const onProvider = (handler: (ctx: ActionContext) => unknown): ActionDefinition => ({
  resources: (ctx) => [ctx.input.reqStr('OpenIDConnectProviderArn')],
  handler,
});

function getProvider(ctx: ActionContext): OidcProvider {
  const arn = ctx.input.reqStr('OpenIDConnectProviderArn');
  const provider = iamOf(ctx).oidcProviders[arn];
  if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

function checkClientId(id: string): string {
  if (id.length < 1 || id.length > 255)
    throw validationError(`Invalid client id "${id}": 1 to 255 characters.`);
  return id;
}

function checkThumbprints(list: string[]): string[] {
  if (list.length > 5)
    throw limitExceeded('Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: 5');
  for (const thumbprint of list) {
    if (!/^[0-9a-fA-F]{40}$/.test(thumbprint)) {
      throw validationError(
        `Invalid thumbprint "${thumbprint}": 40 hexadecimal characters expected.`,
      );
    }
  }
  return list;
}

/** The provider ARN for a URL in an account. */
export function providerArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${providerUrl(url)}`;
}

/** OIDC provider actions, by name. */
export const oidcProviderActions: Record<string, ActionDefinition> = {
  CreateOpenIDConnectProvider: {
    resources: (ctx) => [providerArn(ctx.accountId, ctx.input.str('Url') ?? '')],
    handler: (ctx) => {
      const issuer = checkIssuerUrl(ctx.input.reqStr('Url'));
      const arn = providerArn(ctx.accountId, issuer);
      const iam = iamOf(ctx);
      if (iam.oidcProviders[arn])
        throw entityAlreadyExists(`Provider with url ${issuer} already exists.`);
      const clientIds = ctx.input.strList('ClientIDList').map(checkClientId);
      if (clientIds.length > 100)
        throw limitExceeded('Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100');
      const provider: OidcProvider = {
        arn,
        url: providerUrl(issuer),
        issuer: issuer.replace(/\/+$/, ''),
        clientIds: [...new Set(clientIds)],
        thumbprints: checkThumbprints(ctx.input.strList('ThumbprintList')),
        createDate: ctx.clock.now().toISOString(),
        tags: mergeTags([], ctx.input.tags()),
      };
      iam.oidcProviders[arn] = provider;
      return {
        OpenIDConnectProviderArn: arn,
        Tags: provider.tags.length > 0 ? provider.tags : undefined,
      };
    },
  },
  GetOpenIDConnectProvider: onProvider((ctx) => {
    const provider = getProvider(ctx);
    return {
      Url: provider.url,
      ClientIDList: provider.clientIds,
      ThumbprintList: provider.thumbprints,
      CreateDate: new Date(provider.createDate),
      Tags: provider.tags.length > 0 ? provider.tags : undefined,
    };
  }),
  ListOpenIDConnectProviders: {
    handler: (ctx) => ({
      OpenIDConnectProviderList: Object.keys(iamOf(ctx).oidcProviders).map((arn) => ({ Arn: arn })),
    }),
  },
  DeleteOpenIDConnectProvider: onProvider((ctx) => {
    delete iamOf(ctx).oidcProviders[getProvider(ctx).arn];
    return undefined;
  }),
  AddClientIDToOpenIDConnectProvider: onProvider((ctx) => {
    const provider = getProvider(ctx);
    const id = checkClientId(ctx.input.reqStr('ClientID'));
    if (!provider.clientIds.includes(id)) {
      if (provider.clientIds.length >= 100) {
        throw limitExceeded('Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100');
      }
      provider.clientIds.push(id);
    }
    return undefined;
  }),
  RemoveClientIDFromOpenIDConnectProvider: onProvider((ctx) => {
    const provider = getProvider(ctx);
    const id = ctx.input.reqStr('ClientID');
    provider.clientIds = provider.clientIds.filter((existing) => existing !== id);
    return undefined;
  }),
  UpdateOpenIDConnectProviderThumbprint: onProvider((ctx) => {
    getProvider(ctx).thumbprints = checkThumbprints(ctx.input.strList('ThumbprintList'));
    return undefined;
  }),
  TagOpenIDConnectProvider: onProvider((ctx) => {
    const provider = getProvider(ctx);
    provider.tags = mergeTags(provider.tags, ctx.input.tags());
    return undefined;
  }),
};
