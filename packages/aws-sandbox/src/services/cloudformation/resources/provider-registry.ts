// Every resource type the sandbox can create. Add a type: one file exporting a ResourceProvider,
// one line here (see docs/cloudformation.md).
import { cloudWatchAlarmProvider } from './cloudwatch-alarm.js';
import { ecrRepositoryProvider } from './ecr-repository.js';
import { ecsClusterProvider } from './ecs-cluster.js';
import { ecsServiceProvider } from './ecs-service.js';
import { ecsTaskDefinitionProvider } from './ecs-task-definition.js';
import { eventsApiDestinationProvider } from './events-api-destination.js';
import { eventsConnectionProvider } from './events-connection.js';
import { eventsRuleProvider } from './events-rule.js';
import { iamManagedPolicyProvider } from './iam-managed-policy.js';
import { iamOidcProviderProvider } from './iam-oidc-provider.js';
import { iamPolicyProvider } from './iam-policy.js';
import { iamRoleProvider } from './iam-role.js';
import { kmsAliasProvider } from './kms-alias.js';
import { kmsKeyProvider } from './kms-key.js';
import { lambdaAliasProvider } from './lambda-alias.js';
import { lambdaFunctionProvider } from './lambda-function.js';
import { lambdaVersionProvider } from './lambda-version.js';
import { logsLogGroupProvider } from './logs-log-group.js';
import type { ResourceProvider } from './resource-provider.js';
import { s3BucketPolicyProvider } from './s3-bucket-policy.js';
import { s3BucketProvider } from './s3-bucket.js';
import { secretsManagerSecretProvider } from './secretsmanager-secret.js';
import { waitConditionHandleProvider } from './wait-condition-handle.js';

const PROVIDERS: readonly ResourceProvider[] = [
  iamOidcProviderProvider,
  iamRoleProvider,
  iamPolicyProvider,
  iamManagedPolicyProvider,
  s3BucketProvider,
  s3BucketPolicyProvider,
  kmsKeyProvider,
  kmsAliasProvider,
  secretsManagerSecretProvider,
  waitConditionHandleProvider,
  cloudWatchAlarmProvider,
  ecrRepositoryProvider,
  ecsClusterProvider,
  ecsTaskDefinitionProvider,
  ecsServiceProvider,
  lambdaFunctionProvider,
  lambdaVersionProvider,
  lambdaAliasProvider,
  logsLogGroupProvider,
  eventsConnectionProvider,
  eventsApiDestinationProvider,
  eventsRuleProvider,
];

const BY_TYPE = new Map(PROVIDERS.map((provider) => [provider.type, provider]));

/** The provider of a resource type, if the sandbox supports it. */
export function providerFor(type: string): ResourceProvider | undefined {
  return BY_TYPE.get(type);
}

/** The supported resource types, sorted. */
export function supportedTypes(): string[] {
  return [...BY_TYPE.keys()].sort();
}
