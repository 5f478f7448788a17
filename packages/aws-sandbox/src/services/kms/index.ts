// AWS KMS (JSON 1.1, `TrentService`): symmetric keys, aliases, key policies and real
// authenticated encryption. Other services use keys through `kms-envelope.ts`.
import type { ServiceDefinition } from '../../framework/service.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import { aliasActions } from './alias-actions.js';
import { cryptoActions } from './crypto-actions.js';
import { keyActions } from './key-actions.js';
import { KMS_SERVICE } from './kms-state.js';

/** KMS. */
export const kmsService: ServiceDefinition = {
  name: KMS_SERVICE,
  protocol: jsonProtocol({ targetPrefix: 'TrentService' }),
  actions: {
    ...keyActions,
    ...aliasActions,
    ...cryptoActions,
  },
};
