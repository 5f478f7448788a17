export {
  KmsDataKeyWrapper,
  type KmsDataKey,
  type KmsDataKeyWrapperOptions,
} from './kms-data-key-wrapper.js';
export {
  SecretsManagerSecrets,
  type SecretsManagerSecretsOptions,
} from './secrets-manager-secrets.js';
