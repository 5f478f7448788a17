// The SDK client factory: the only constructor of AWS SDK clients.
export {
  AwsClientFactory,
  type AwsClientFactoryOptions,
  type AwsCredentialsSource,
  type ClientTarget,
} from './aws-client-factory.js';
