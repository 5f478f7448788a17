// GetAuthorizationToken: the registry login of the calling principal.
import type { ActionDefinition } from '../../framework/service.js';
import { issueToken } from './auth-token.js';
import { invalidParameter } from './ecr-errors.js';
import { isAccountId } from './references.js';

/** Token actions. */
export const TOKEN_ACTIONS: Record<string, ActionDefinition> = {
  GetAuthorizationToken: {
    validate: (ctx) => {
      const ids = ctx.input.strList('registryIds');
      if (ctx.input.has('registryIds') && (ids.length < 1 || ids.length > 10)) {
        throw invalidParameter(
          "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must have length less than or equal to 10 and greater than or equal to 1'",
        );
      }
      if (ids.some((id) => !isAccountId(id))) {
        throw invalidParameter(
          "Invalid parameter at 'registryIds' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{12}''",
        );
      }
    },
    // A wildcard-only action in IAM: authorized on `*`.
    resources: () => ['*'],
    handler: (ctx) => {
      if (ctx.caller.kind === 'anonymous') return { authorizationData: [] };
      const token = issueToken(ctx.caller.credential, ctx.clock.now());
      // One token serves every registry: each request is authorized as its principal anyway.
      const registries = ctx.input.strList('registryIds');
      const count = Math.max(1, registries.length);
      return {
        authorizationData: Array.from({ length: count }, () => ({
          authorizationToken: token.authorizationToken,
          expiresAt: token.expiresAt,
          proxyEndpoint: ctx.runtime.endpoint,
        })),
      };
    },
  },
};
