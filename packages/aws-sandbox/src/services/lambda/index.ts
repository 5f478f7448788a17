// AWS Lambda (REST-JSON): functions from zips (uploaded or in S3) or ECR images, versions,
// aliases with weighted routing, and Invoke — Node.js handlers really run. Emits AWS/Lambda
// metrics under the health model. See docs/lambda.md.
import type { ServiceDefinition } from '../../framework/service.js';
import { aliasActions } from './alias-actions.js';
import { functionActions } from './function-actions.js';
import { LAMBDA_SERVICE } from './function-lookup.js';
import { invokeActions } from './invoke-action.js';
import { lambdaListMetrics, lambdaMetricSamples } from './lambda-metrics.js';
import { lambdaProtocol } from './lambda-protocol.js';
import { tagActions } from './tag-actions.js';
import { updateActions } from './update-actions.js';
import { versionActions } from './version-actions.js';

/** Lambda. */
export const lambdaService: ServiceDefinition = {
  name: LAMBDA_SERVICE,
  protocol: lambdaProtocol,
  actions: {
    ...functionActions,
    ...updateActions,
    ...versionActions,
    ...aliasActions,
    ...invokeActions,
    ...tagActions,
  },
  hooks: {
    metricSamples: lambdaMetricSamples,
    listMetrics: lambdaListMetrics,
  },
};
