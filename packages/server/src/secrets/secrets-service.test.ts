// The secrets service on a real SQLite store: envelope encryption under the master key or the
// sandbox's KMS key, Secrets Manager references, and the checks a deployment request makes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsClientFactory, KmsDataKeyWrapper, SecretsManagerSecrets } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { DeploymentPlan } from '@rampart/engine';
import { masterKeySource } from '@rampart/identity';
import { openStore, type RampartStore } from '@rampart/store';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MasterKeyWrapper } from './master-key-wrapper.js';
import { planSecretRefs, requirePlanSecrets } from './plan-secrets.js';
import { SecretsService } from './secrets-service.js';
import { ServiceSecretResolver } from './service-secret-resolver.js';

const CICD = '222222222222';
const masterKey = () => randomBytes(32).toString('base64');

describe('SecretsService', () => {
  let dir: string;
  let store: RampartStore;
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;

  beforeAll(async () => {
    sandbox = await startSandbox();
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-secrets-'));
    store = await openStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const local = (key: string) =>
    new SecretsService({
      store: store.secrets,
      wrapper: new MasterKeyWrapper(masterKeySource({ dataDir: dir, masterKey: key })),
    });

  it('encrypts with a fresh data key per version under the master key and decrypts for steps', async () => {
    const key = masterKey();
    const secrets = local(key);
    const set = await secrets.set({ name: 'DB', stage: 'prod', value: 'v1-plaintext' }, 'token:a');
    expect(set).toMatchObject({ created: true, secret: { version: 1, storage: 'local' } });
    const first = await store.secrets.get({ name: 'DB', scope: 'stage', stage: 'prod' });
    await secrets.set({ name: 'DB', stage: 'prod', value: 'v2-plaintext' }, 'token:b');
    const second = await store.secrets.get({ name: 'DB', scope: 'stage', stage: 'prod' });
    expect(second?.version).toBe(2);
    expect(first?.material).not.toEqual(second?.material);
    expect(JSON.stringify(second)).not.toContain('v2-plaintext');
    expect(second?.material).toMatchObject({
      storage: 'local',
      keyId: expect.stringMatching(/^master:[0-9a-f]{16}$/) as string,
    });
    expect(await secrets.value({ name: 'DB', scope: 'stage', stage: 'prod' })).toBe('v2-plaintext');
    // The resolver gives a step's stage its own stage secret.
    const resolved = await new ServiceSecretResolver(secrets).resolve({
      target: {
        pipelineId: 'web',
        pipelineSlug: 'web',
        stage: 'prod',
        accountId: '1',
        region: 'r',
        role: 'x',
      },
      secrets: [{ scope: 'stage', name: 'DB', marker: '[STAGE_SECRET:DB]' }],
    });
    expect(resolved).toEqual(new Map([['[STAGE_SECRET:DB]', 'v2-plaintext']]));
  });

  it('refuses to decrypt under another master key or after the ciphertext moved rows', async () => {
    const secrets = local(masterKey());
    await secrets.set({ name: 'A', value: 'value-a' }, 'x');
    await secrets.set({ name: 'B', value: 'value-b' }, 'x');
    await expect(
      local(masterKey()).value({ name: 'A', scope: 'organization' }),
    ).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      message: expect.stringContaining(
        'secret organization:A was encrypted under master key',
      ) as string,
    });
    const a = await store.secrets.get({ name: 'A', scope: 'organization' });
    if (a === undefined) throw new Error('A is missing');
    await store.secrets.put({
      name: 'B',
      scope: 'organization',
      material: a.material,
      actor: 'evil',
    });
    await expect(secrets.value({ name: 'B', scope: 'organization' })).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      message: 'organization secret "B" cannot be decrypted',
    });
  });

  it('names the secret and scope when it is not set, and refuses empty and oversized values', async () => {
    const secrets = local(masterKey());
    await expect(secrets.value({ name: 'X', scope: 'stage', stage: 'qa' })).rejects.toMatchObject({
      code: 'SECRET_NOT_FOUND',
      message: 'stage "qa" secret "X" is not set',
    });
    await expect(secrets.delete({ name: 'X' })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    await expect(secrets.set({ name: 'E', value: '' }, 'x')).rejects.toMatchObject({
      code: 'SECRET_VALUE_INVALID',
    });
    await expect(secrets.set({ name: 'E', value: 'x'.repeat(65_537) }, 'x')).rejects.toMatchObject({
      code: 'SECRET_VALUE_INVALID',
    });
    expect(await secrets.list()).toEqual([]);
  });

  it('wraps data keys with the KMS key of the CI/CD account, and refuses them under the master key', async () => {
    const kmsClient = new KMSClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(CICD),
    });
    const key = await kmsClient.send(new CreateKeyCommand({}));
    await kmsClient.send(
      new CreateAliasCommand({
        AliasName: 'alias/rampart-kmstest',
        TargetKeyId: key.KeyMetadata?.KeyId ?? '',
      }),
    );
    kmsClient.destroy();
    const kms = new SecretsService({
      store: store.secrets,
      wrapper: new KmsDataKeyWrapper({
        sdk,
        region: 'us-east-1',
        keyId: 'alias/rampart-kmstest',
        credentials: sandbox.credentialsFor(CICD),
      }),
    });
    const set = await kms.set({ name: 'K', value: 'kms-wrapped-value' }, 'x');
    expect(set.secret.storage).toBe('kms');
    expect((await store.secrets.get({ name: 'K', scope: 'organization' }))?.material).toMatchObject(
      { keyId: key.KeyMetadata?.Arn },
    );
    expect(await kms.value({ name: 'K', scope: 'organization' })).toBe('kms-wrapped-value');
    await expect(
      local(masterKey()).value({ name: 'K', scope: 'organization' }),
    ).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      message: expect.stringContaining('was encrypted with a KMS key') as string,
    });
  });

  it('records a user-managed secret by its Secrets Manager ARN and reads it there', async () => {
    const sm = new SecretsManagerClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(CICD),
    });
    const created = await sm.send(
      new CreateSecretCommand({
        Name: 'rampart/organization/SM_TOKEN',
        SecretString: 'kept-by-the-user',
      }),
    );
    sm.destroy();
    const secrets = new SecretsService({
      store: store.secrets,
      wrapper: new MasterKeyWrapper(masterKeySource({ dataDir: dir, masterKey: masterKey() })),
      userSecrets: new SecretsManagerSecrets({
        sdk,
        region: 'us-east-1',
        credentials: sandbox.credentialsFor(CICD),
      }),
    });
    const set = await secrets.set({ name: 'SM_TOKEN', managed: 'user' }, 'x');
    expect(set.secret.storage).toBe('secrets-manager');
    expect(
      (await store.secrets.get({ name: 'SM_TOKEN', scope: 'organization' }))?.material,
    ).toEqual({ storage: 'secrets-manager', arn: created.ARN });
    expect(await secrets.value({ name: 'SM_TOKEN', scope: 'organization' })).toBe(
      'kept-by-the-user',
    );
    await expect(
      secrets.set({ name: 'NOT_THERE', stage: 'prod', managed: 'user' }, 'x'),
    ).rejects.toMatchObject({
      code: 'SECRET_NOT_FOUND',
      message: expect.stringContaining('rampart/stage/prod/NOT_THERE') as string,
    });
    await expect(local(masterKey()).set({ name: 'U', managed: 'user' }, 'x')).rejects.toMatchObject(
      { code: 'SECRET_UNAVAILABLE' },
    );
  });

  it('finds the secrets a plan references per stage and names every missing one', async () => {
    const step = (params: Record<string, string>, skipped = false) => ({
      name: 's',
      key: 's',
      type: 'RAMPART:SCRIPT:RUN',
      dependsOn: [],
      skipped,
      params,
      rollback: 'none' as const,
    });
    const stage = (name: string, steps: ReturnType<typeof step>[], vars = {}) => ({
      name,
      accountId: '1',
      region: 'r',
      role: 'x',
      window: { kind: 'none' },
      alarms: [],
      vars,
      steps,
      artifacts: [],
    });
    const plan = {
      pipelineSlug: 'web',
      artifacts: [{ params: { args: ['TOKEN=[SECRET:BUILD]'] } }],
      stages: [
        stage('dev', [step({ command: 'x [SECRET:ORG] [STAGE_SECRET:DB]' })]),
        stage(
          'prod',
          [step({ command: '[STAGE_SECRET:DB]' }), step({ command: '[SECRET:SKIPPED]' }, true)],
          { v: '[STAGE_SECRET:VAR]' },
        ),
      ],
    } as unknown as DeploymentPlan;
    expect(planSecretRefs(plan)).toEqual([
      { name: 'BUILD', scope: 'organization' },
      { name: 'ORG', scope: 'organization' },
      { name: 'DB', scope: 'stage', stage: 'dev' },
      { name: 'VAR', scope: 'stage', stage: 'prod' },
      { name: 'DB', scope: 'stage', stage: 'prod' },
    ]);
    const secrets = local(masterKey());
    await secrets.set({ name: 'ORG', value: 'o' }, 'x');
    await secrets.set({ name: 'BUILD', value: 'b' }, 'x');
    await secrets.set({ name: 'DB', stage: 'dev', value: 'd' }, 'x');
    await expect(requirePlanSecrets(secrets, plan, 'web')).rejects.toMatchObject({
      code: 'SECRET_MISSING',
      message:
        'pipeline "web" references 2 secrets that are not set: stage "prod" secret "VAR", stage "prod" secret "DB"',
      hint: expect.stringContaining('rampart secrets set VAR --stage prod') as string,
    });
    await secrets.set({ name: 'VAR', stage: 'prod', value: 'v' }, 'x');
    await secrets.set({ name: 'DB', stage: 'prod', value: 'p' }, 'x');
    await expect(requirePlanSecrets(secrets, plan, 'web')).resolves.toBeUndefined();
  });
});
