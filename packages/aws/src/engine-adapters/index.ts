// The engine's AWS ports: alarm reading and stage credentials.
export {
  CloudWatchAlarmReader,
  type CloudWatchAlarmReaderOptions,
} from './cloudwatch-alarm-reader.js';
export {
  BrokerCredentialsProvider,
  type BrokerCredentialsProviderOptions,
  type PipelineModelResolver,
} from './broker-credentials-provider.js';
