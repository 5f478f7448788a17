// Connections: how API destinations authenticate (API key, basic, OAuth client credentials).
// Secrets are stored but never returned, as in AWS.
import { randomUUID } from 'node:crypto';
import type { Input } from '../../framework/input.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { alreadyExists, constraintViolation, notFound, validationError } from './events-errors.js';
import { byName, eventsPage, eventsState, here, resourceName } from './events-input.js';
import {
  connectionArn,
  type AuthorizationType,
  type ConnectionAuth,
  type ConnectionHttpParameters,
  type ConnectionParameter,
  type ConnectionRecord,
} from './events-state.js';
import { ownValue, putOwn } from '../../state/own-record.js';

const AUTH_TYPES: readonly string[] = ['API_KEY', 'BASIC', 'OAUTH_CLIENT_CREDENTIALS'];
const OAUTH_METHODS: readonly string[] = ['GET', 'POST', 'PUT'];
const SECRET_SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The connection a call names, or `ResourceNotFoundException`. */
function findConnection(ctx: ActionContext, name: string): ConnectionRecord {
  const connection = ownValue(eventsState(ctx).connections, name);
  if (!connection) {
    throw notFound(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
  }
  return connection;
}

/** The ARN of the connection a call names (`connection/<name>` before it exists). */
function namedConnectionArn(ctx: ActionContext): string {
  const name = resourceName(ctx);
  const connection = ownValue(eventsState(ctx).connections, name);
  return connection
    ? connectionArn(here(ctx), name, connection.uuid)
    : `arn:aws:events:${ctx.region}:${ctx.accountId}:connection/${name}`;
}

/** `arn:aws:secretsmanager:…:secret:events!connection/<name>/<uuid>-<suffix>`. */
function connectionSecretArn(ctx: ActionContext, connection: ConnectionRecord): string {
  return `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:events!connection/${connection.name}/${connection.uuid}-${connection.secretSuffix}`;
}

function parameters(list: Input[]): ConnectionParameter[] {
  return list.map((item) => ({
    Key: item.reqStr('Key'),
    Value: item.str('Value') ?? '',
    IsValueSecret: item.bool('IsValueSecret') ?? false,
  }));
}

function httpParameters(input: Input | undefined): ConnectionHttpParameters {
  return {
    HeaderParameters: parameters(input?.list('HeaderParameters') ?? []),
    QueryStringParameters: parameters(input?.list('QueryStringParameters') ?? []),
    BodyParameters: parameters(input?.list('BodyParameters') ?? []),
  };
}

/** Secret values are never returned. */
function renderParameters(params: ConnectionHttpParameters): Record<string, unknown> {
  const render = (list: ConnectionParameter[]) =>
    list.map((p) => ({
      Key: p.Key,
      ...(p.IsValueSecret ? {} : { Value: p.Value }),
      IsValueSecret: p.IsValueSecret,
    }));
  return {
    HeaderParameters: render(params.HeaderParameters),
    QueryStringParameters: render(params.QueryStringParameters),
    BodyParameters: render(params.BodyParameters),
  };
}

function authorizationType(ctx: ActionContext, required: boolean): AuthorizationType | undefined {
  const type = required
    ? ctx.input.reqStr('AuthorizationType')
    : ctx.input.str('AuthorizationType');
  if (type !== undefined && !AUTH_TYPES.includes(type)) {
    throw constraintViolation(
      'authorizationType',
      type,
      `Member must satisfy enum value set: [${AUTH_TYPES.join(', ')}]`,
    );
  }
  return type as AuthorizationType | undefined;
}

/**
 * The credentials of a create (`previous` undefined) or an update (fields not given keep their
 * previous values, as UpdateConnection does).
 */
function readAuth(
  ctx: ActionContext,
  type: AuthorizationType,
  previous?: ConnectionAuth,
): ConnectionAuth {
  const params = ctx.input.obj('AuthParameters');
  if (!params && !previous) {
    throw validationError('AuthParameters must be specified.');
  }
  const invocation = params?.obj('InvocationHttpParameters');
  const auth: ConnectionAuth = {
    invocation: invocation
      ? httpParameters(invocation)
      : (previous?.invocation ?? httpParameters(undefined)),
  };
  const requireField = (value: string | undefined, field: string): string => {
    if (value === undefined || value === '') {
      throw validationError(`${field} must be specified for authorization type ${type}.`);
    }
    return value;
  };
  switch (type) {
    case 'API_KEY': {
      const given = params?.obj('ApiKeyAuthParameters');
      auth.apiKey = {
        name: requireField(
          given?.str('ApiKeyName') ?? previous?.apiKey?.name,
          'ApiKeyAuthParameters.ApiKeyName',
        ),
        value: requireField(
          given?.str('ApiKeyValue') ?? previous?.apiKey?.value,
          'ApiKeyAuthParameters.ApiKeyValue',
        ),
      };
      break;
    }
    case 'BASIC': {
      const given = params?.obj('BasicAuthParameters');
      auth.basic = {
        username: requireField(
          given?.str('Username') ?? previous?.basic?.username,
          'BasicAuthParameters.Username',
        ),
        password: requireField(
          given?.str('Password') ?? previous?.basic?.password,
          'BasicAuthParameters.Password',
        ),
      };
      break;
    }
    case 'OAUTH_CLIENT_CREDENTIALS': {
      const given = params?.obj('OAuthParameters');
      const client = given?.obj('ClientParameters');
      const method = given?.str('HttpMethod') ?? previous?.oauth?.httpMethod;
      if (method !== undefined && !OAUTH_METHODS.includes(method)) {
        throw validationError(
          `OAuthParameters.HttpMethod must be one of ${OAUTH_METHODS.join(', ')}.`,
        );
      }
      const endpoint = requireField(
        given?.str('AuthorizationEndpoint') ?? previous?.oauth?.authorizationEndpoint,
        'OAuthParameters.AuthorizationEndpoint',
      );
      checkUrl(endpoint, 'AuthorizationEndpoint');
      const oauthHttp = given?.obj('OAuthHttpParameters');
      auth.oauth = {
        clientId: requireField(
          client?.str('ClientID') ?? previous?.oauth?.clientId,
          'OAuthParameters.ClientParameters.ClientID',
        ),
        clientSecret: requireField(
          client?.str('ClientSecret') ?? previous?.oauth?.clientSecret,
          'OAuthParameters.ClientParameters.ClientSecret',
        ),
        authorizationEndpoint: endpoint,
        httpMethod: requireField(method, 'OAuthParameters.HttpMethod'),
        httpParameters: oauthHttp
          ? httpParameters(oauthHttp)
          : (previous?.oauth?.httpParameters ?? httpParameters(undefined)),
      };
      break;
    }
  }
  return auth;
}

/**
 * Endpoints must be absolute HTTP(S) URLs. AWS requires HTTPS; the sandbox also accepts
 * `http://` so tests and the demo can receive deliveries on loopback without certificates.
 */
export function checkUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw validationError(`${field} ${url} is not a valid URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw validationError(`${field} ${url} must use https.`);
  }
}

function describeAuth(connection: ConnectionRecord): Record<string, unknown> {
  const { auth } = connection;
  return {
    ...(auth.apiKey ? { ApiKeyAuthParameters: { ApiKeyName: auth.apiKey.name } } : {}),
    ...(auth.basic ? { BasicAuthParameters: { Username: auth.basic.username } } : {}),
    ...(auth.oauth
      ? {
          OAuthParameters: {
            ClientParameters: { ClientID: auth.oauth.clientId },
            AuthorizationEndpoint: auth.oauth.authorizationEndpoint,
            HttpMethod: auth.oauth.httpMethod,
            OAuthHttpParameters: renderParameters(auth.oauth.httpParameters),
          },
        }
      : {}),
    InvocationHttpParameters: renderParameters(auth.invocation),
  };
}

function summary(ctx: ActionContext, connection: ConnectionRecord): Record<string, unknown> {
  return {
    ConnectionArn: connectionArn(here(ctx), connection.name, connection.uuid),
    Name: connection.name,
    ConnectionState: 'AUTHORIZED',
    AuthorizationType: connection.authorizationType,
    CreationTime: new Date(connection.creationTime),
    LastModifiedTime: new Date(connection.lastModifiedTime),
    LastAuthorizedTime: new Date(connection.lastAuthorizedTime),
  };
}

function secretSuffix(): string {
  const bytes = randomUUID().replace(/-/g, '');
  let out = '';
  for (let i = 0; i < 6; i += 1) {
    out +=
      SECRET_SUFFIX_CHARS[parseInt(bytes.slice(i * 2, i * 2 + 2), 16) % SECRET_SUFFIX_CHARS.length];
  }
  return out;
}

function checkDescription(ctx: ActionContext): void {
  const description = ctx.input.str('Description');
  if (description !== undefined && description.length > 512) {
    throw constraintViolation(
      'description',
      description,
      'Member must have length less than or equal to 512',
    );
  }
}

/** The connection actions. */
export const connectionActions: Record<string, ActionDefinition> = {
  CreateConnection: {
    validate: (ctx) => {
      resourceName(ctx);
      checkDescription(ctx);
      const type = authorizationType(ctx, true);
      if (type !== undefined) readAuth(ctx, type);
    },
    resources: (ctx) => [namedConnectionArn(ctx)],
    handler: (ctx) => {
      const name = resourceName(ctx);
      const connections = eventsState(ctx).connections;
      if (Object.hasOwn(connections, name)) {
        throw alreadyExists(`Connection ${name} already exists.`);
      }
      const type = authorizationType(ctx, true) ?? 'API_KEY';
      const now = ctx.clock.now().toISOString();
      const description = ctx.input.str('Description');
      const kmsKeyIdentifier = ctx.input.str('KmsKeyIdentifier');
      const connection: ConnectionRecord = {
        name,
        uuid: randomUUID(),
        ...(description !== undefined ? { description } : {}),
        authorizationType: type,
        auth: readAuth(ctx, type),
        ...(kmsKeyIdentifier !== undefined ? { kmsKeyIdentifier } : {}),
        secretSuffix: secretSuffix(),
        creationTime: now,
        lastModifiedTime: now,
        lastAuthorizedTime: now,
      };
      putOwn(connections, name, connection);
      const { ConnectionArn, ConnectionState, CreationTime, LastModifiedTime } = summary(
        ctx,
        connection,
      );
      return { ConnectionArn, ConnectionState, CreationTime, LastModifiedTime };
    },
  },
  DescribeConnection: {
    validate: (ctx) => void resourceName(ctx),
    resources: (ctx) => [namedConnectionArn(ctx)],
    handler: (ctx) => {
      const connection = findConnection(ctx, resourceName(ctx));
      return {
        ...summary(ctx, connection),
        ...(connection.description !== undefined ? { Description: connection.description } : {}),
        SecretArn: connectionSecretArn(ctx, connection),
        ...(connection.kmsKeyIdentifier !== undefined
          ? { KmsKeyIdentifier: connection.kmsKeyIdentifier }
          : {}),
        AuthParameters: describeAuth(connection),
      };
    },
  },
  UpdateConnection: {
    validate: (ctx) => {
      resourceName(ctx);
      checkDescription(ctx);
      authorizationType(ctx, false);
    },
    resources: (ctx) => [namedConnectionArn(ctx)],
    handler: (ctx) => {
      const connection = findConnection(ctx, resourceName(ctx));
      const type = authorizationType(ctx, false) ?? connection.authorizationType;
      const previous =
        type === connection.authorizationType
          ? connection.auth
          : { invocation: connection.auth.invocation };
      connection.auth = readAuth(ctx, type, previous);
      connection.authorizationType = type;
      const description = ctx.input.str('Description');
      if (description !== undefined) connection.description = description;
      const now = ctx.clock.now().toISOString();
      connection.lastModifiedTime = now;
      connection.lastAuthorizedTime = now;
      const { ConnectionArn, ConnectionState, CreationTime, LastModifiedTime, LastAuthorizedTime } =
        summary(ctx, connection);
      return { ConnectionArn, ConnectionState, CreationTime, LastModifiedTime, LastAuthorizedTime };
    },
  },
  DeleteConnection: {
    validate: (ctx) => void resourceName(ctx),
    resources: (ctx) => [namedConnectionArn(ctx)],
    handler: (ctx) => {
      const connection = findConnection(ctx, resourceName(ctx));
      delete eventsState(ctx).connections[connection.name];
      const { ConnectionArn, CreationTime, LastModifiedTime, LastAuthorizedTime } = summary(
        ctx,
        connection,
      );
      return {
        ConnectionArn,
        ConnectionState: 'DELETING',
        CreationTime,
        LastModifiedTime,
        LastAuthorizedTime,
      };
    },
  },
  ListConnections: {
    handler: (ctx) => {
      const prefix = ctx.input.str('NamePrefix') ?? '';
      const state = ctx.input.str('ConnectionState');
      const connections = byName(
        Object.values(eventsState(ctx).connections).filter(
          (connection) =>
            connection.name.startsWith(prefix) && (state === undefined || state === 'AUTHORIZED'),
        ),
      );
      const { page, nextToken } = eventsPage(ctx, connections);
      return {
        Connections: page.map((connection) => summary(ctx, connection)),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
};
