// Amazon ECR (JSON 1.1): repositories, policies, images, layer uploads and registry logins. The
// OCI registry that serves the same repositories lives in src/registry/.
import type { ServiceDefinition } from '../../framework/service.js';
import { ecrProtocol } from './ecr-protocol.js';
import { ECR_SERVICE } from './ecr-state.js';
import { IMAGE_ACTIONS } from './image-actions.js';
import { LAYER_ACTIONS } from './layer-actions.js';
import { POLICY_ACTIONS } from './policy-actions.js';
import { REPOSITORY_ACTIONS } from './repository-actions.js';
import { TOKEN_ACTIONS } from './token-actions.js';

/** ECR. */
export const ecrService: ServiceDefinition = {
  name: ECR_SERVICE,
  protocol: ecrProtocol,
  actions: {
    ...REPOSITORY_ACTIONS,
    ...POLICY_ACTIONS,
    ...IMAGE_ACTIONS,
    ...LAYER_ACTIONS,
    ...TOKEN_ACTIONS,
  },
};
