// AWS Secrets Manager (JSON 1.1, `secretsmanager`): secrets with versions and staging labels,
// values encrypted at rest under KMS keys, resource policies for cross-account reads.
import type { ServiceDefinition } from '../../framework/service.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import { listActions } from './list-actions.js';
import { policyActions } from './policy-actions.js';
import { randomPasswordActions } from './random-password.js';
import { secretActions } from './secret-actions.js';
import { SECRETS_SERVICE } from './secret-state.js';

/** Secrets Manager. */
export const secretsManagerService: ServiceDefinition = {
  name: SECRETS_SERVICE,
  protocol: jsonProtocol({ targetPrefix: 'secretsmanager' }),
  actions: {
    ...secretActions,
    ...listActions,
    ...policyActions,
    ...randomPasswordActions,
  },
};
