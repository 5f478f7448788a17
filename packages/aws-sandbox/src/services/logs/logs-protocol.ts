// JSON 1.1 as CloudWatch Logs speaks it: every bad or missing parameter is an
// `InvalidParameterException`, never the generic `ValidationException`.
import { AwsError } from '../../framework/aws-error.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import type { Protocol } from '../../protocols/protocol.js';

const base = jsonProtocol({ targetPrefix: 'Logs_20140328' });

/** The Logs protocol. */
export const logsProtocol: Protocol = {
  ...base,
  commonError(kind, message) {
    if (kind === 'MissingParameter' || kind === 'InvalidParameter') {
      return new AwsError('InvalidParameterException', message);
    }
    return base.commonError(kind, message);
  },
};
