/**
 * The secrets service the configuration asks for: data keys wrapped by the master key (the
 * embedded default) or, with `secrets.encryption: kms`, by the organization's KMS key in the
 * CI/CD account; user-managed secrets read from Secrets Manager there when the organization is set.
 */
import { isAbsolute, resolve } from 'node:path';
import { KmsDataKeyWrapper, SecretsManagerSecrets, type AwsClientFactory } from '@rampart/aws';
import { organizationKeyAlias, RampartError, type ControlPlaneConfig } from '@rampart/core';
import { masterKeySource } from '@rampart/identity';
import type { SecretStore } from '@rampart/store';
import type { DataKeyWrapper } from './data-key-wrapper.js';
import { MasterKeyWrapper } from './master-key-wrapper.js';
import { SecretsService } from './secrets-service.js';

/** What {@link secretsFromConfig} needs. */
export interface SecretsFromConfigOptions {
  config: ControlPlaneConfig;
  /** The server's data directory (absolute). */
  dataDir: string;
  /** Relative `master_key_file` is resolved against it. */
  baseDir: string;
  store: SecretStore;
  /** The server's AWS clients (its own credentials in the CI/CD account). */
  sdk: AwsClientFactory;
}

export function secretsFromConfig(options: SecretsFromConfigOptions): SecretsService {
  const { config } = options;
  const organization = config.organization;
  const cicd =
    organization?.cicd_account_region === undefined || organization.slug === undefined
      ? undefined
      : { region: organization.cicd_account_region, org: organization.slug };
  let wrapper: DataKeyWrapper;
  if (config.secrets?.encryption === 'kms') {
    if (cicd === undefined) {
      throw new RampartError(
        'CONFIG_INVALID',
        'secrets.encryption is kms, and the organization (slug, cicd_account_region) is not configured',
        {
          hint: 'Set organization.slug and organization.cicd_account_region, or remove secrets.encryption to use the master key.',
        },
      );
    }
    wrapper = new KmsDataKeyWrapper({
      sdk: options.sdk,
      region: cicd.region,
      keyId: organizationKeyAlias({ org: cicd.org }),
    });
  } else {
    const file = config.master_key_file;
    wrapper = new MasterKeyWrapper(
      masterKeySource({
        dataDir: options.dataDir,
        ...(config.master_key === undefined ? {} : { masterKey: config.master_key }),
        ...(file === undefined
          ? {}
          : { masterKeyFile: isAbsolute(file) ? file : resolve(options.baseDir, file) }),
      }),
    );
  }
  return new SecretsService({
    store: options.store,
    wrapper,
    ...(cicd === undefined
      ? {}
      : { userSecrets: new SecretsManagerSecrets({ sdk: options.sdk, region: cicd.region }) }),
  });
}
