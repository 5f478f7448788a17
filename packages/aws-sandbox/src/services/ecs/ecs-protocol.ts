// ECS speaks JSON 1.1 under `AmazonEC2ContainerServiceV20141113`; missing or malformed
// parameters come back as `InvalidParameterException`, ECS's own code, not `ValidationException`.
import { AwsError } from '../../framework/aws-error.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import type { Protocol } from '../../protocols/protocol.js';

const base = jsonProtocol({ targetPrefix: 'AmazonEC2ContainerServiceV20141113' });

/** The ECS protocol. */
export const ecsProtocol: Protocol = {
  ...base,
  commonError(kind, message) {
    if (kind === 'MissingParameter' || kind === 'InvalidParameter') {
      return new AwsError('InvalidParameterException', message);
    }
    return base.commonError(kind, message);
  },
};
