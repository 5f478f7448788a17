// The KMS data key wrapper and the Secrets Manager reader against the sandbox (IAM enforced).
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../sdk/aws-client-factory.js';
import { KmsDataKeyWrapper } from './kms-data-key-wrapper.js';
import { SecretsManagerSecrets } from './secrets-manager-secrets.js';

const CICD = '222222222222';
const OTHER = '333333333333';

describe('secret storage adapters against the sandbox', () => {
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  let keyArn: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, maxAttempts: 1 });
    const kms = new KMSClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(CICD),
    });
    const key = await kms.send(new CreateKeyCommand({}));
    keyArn = key.KeyMetadata?.Arn ?? '';
    await kms.send(
      new CreateAliasCommand({ AliasName: 'alias/rampart-acme', TargetKeyId: keyArn }),
    );
    kms.destroy();
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  const wrapper = (account = CICD) =>
    new KmsDataKeyWrapper({
      sdk,
      region: 'us-east-1',
      keyId: 'alias/rampart-acme',
      credentials: sandbox.credentialsFor(account),
    });

  it('generates a data key under the org key alias and unwraps it only for the same secret', async () => {
    const generated = await wrapper().generate('organization:DB');
    expect(generated.plaintext).toHaveLength(32);
    expect(generated.keyId).toBe(keyArn);
    expect(Buffer.from(generated.wrapped, 'base64').includes(generated.plaintext)).toBe(false);
    const unwrapped = await wrapper().unwrap(generated.wrapped, generated.keyId, 'organization:DB');
    expect(unwrapped.equals(generated.plaintext)).toBe(true);
    await expect(
      wrapper().unwrap(generated.wrapped, generated.keyId, 'organization:OTHER'),
    ).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      message: expect.stringContaining('InvalidCiphertextException') as string,
    });
  });

  it('reports a key it cannot use as SECRET_UNAVAILABLE', async () => {
    // Another account has no such alias.
    await expect(wrapper(OTHER).generate('organization:DB')).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      message: expect.stringContaining('NotFoundException') as string,
    });
  });

  it('finds a user-managed secret by name and reads its current value', async () => {
    const sm = new SecretsManagerClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(CICD),
    });
    const created = await sm.send(
      new CreateSecretCommand({ Name: 'rampart/stage/prod/DB', SecretString: 'sm-value-42' }),
    );
    await sm.send(
      new CreateSecretCommand({ Name: 'rampart/organization/GONE', SecretString: 'x' }),
    );
    await sm.send(new DeleteSecretCommand({ SecretId: 'rampart/organization/GONE' }));
    sm.destroy();
    const secrets = new SecretsManagerSecrets({
      sdk,
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(CICD),
    });
    const arn = await secrets.locate('rampart/stage/prod/DB');
    expect(arn).toBe(created.ARN);
    expect(await secrets.read(arn)).toBe('sm-value-42');
    await expect(secrets.locate('rampart/organization/NOPE')).rejects.toMatchObject({
      code: 'SECRET_NOT_FOUND',
      message: expect.stringContaining('rampart/organization/NOPE') as string,
    });
    await expect(secrets.locate('rampart/organization/GONE')).rejects.toMatchObject({
      code: 'SECRET_NOT_FOUND',
    });
  });
});
