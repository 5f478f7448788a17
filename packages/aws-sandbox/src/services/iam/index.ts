// The IAM service (global, query protocol). Its data lives in `AccountState.iam` because the
// authorizer reads it on every request.
import type { ServiceDefinition } from '../../framework/service.js';
import { entityPolicyActions } from './entity-policy-actions.js';
import { IAM_PROTOCOL } from './iam-protocol.js';
import { managedPolicyActions } from './managed-policy-actions.js';
import { oidcProviderActions } from './oidc-provider-actions.js';
import { roleActions } from './role-actions.js';
import { userActions } from './user-actions.js';

/** IAM. */
export const iamService: ServiceDefinition = {
  name: 'iam',
  protocol: IAM_PROTOCOL,
  global: true,
  actions: {
    ...roleActions,
    ...entityPolicyActions,
    ...managedPolicyActions,
    ...userActions,
    ...oidcProviderActions,
  },
};
