import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AwsClientFactory } from '@rampart/aws';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { JsonValue, StageCredentials } from '@rampart/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogStatements, scopedCredentials } from '../test-support/scoped-role.js';
import {
  TEST_TARGET,
  parseParams,
  rollbackContext,
  stepContext,
  type HarnessOptions,
} from '../test-support/step-context.js';
import { zipFile } from '../test-support/zip-file.js';
import { createLambdaDeployExecutor } from './lambda-deploy-executor.js';
import { createLambdaInvokeExecutor } from './lambda-invoke-executor.js';
import {
  lambdaDeployParams,
  lambdaInvokeParams,
  type LambdaDeployParams,
} from './lambda-params.js';

const STAGING = '444444444444';
const REGION = 'us-east-1';
const BUCKET = 'code-444444444444';
const FN_ARN = `arn:aws:lambda:${REGION}:${STAGING}:function:api`;
const handler = (body: string) =>
  zipFile({ 'index.mjs': `export const handler = async (event) => { ${body} };\n` });

describe('LAMBDA:DEPLOY and LAMBDA:INVOKE against the sandbox', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  const poller = {
    intervalMs: 1000,
    sleep: (ms: number) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  };
  const admin = () => sdk.lambda({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
  const harness = (credentials: () => Promise<StageCredentials>): HarnessOptions => ({
    target: { ...TEST_TARGET, accountId: STAGING, region: REGION },
    credentials,
    now: () => clock.now(),
  });
  const deployRaw = (raw: Record<string, unknown> = {}) => ({
    function_name: 'api',
    s3_bucket: BUCKET,
    s3_key: 'v2.zip',
    alias: 'live',
    ...raw,
  });
  const deployer = () => createLambdaDeployExecutor({ sdk, poller });
  /** Runs LAMBDA:DEPLOY as a role holding exactly the catalog's statements for `raw`. */
  const deploy = async (raw: Record<string, unknown>, options: HarnessOptions = {}) => {
    const credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      catalogStatements('RAMPART:LAMBDA:DEPLOY', raw, STAGING, REGION),
    );
    const h = stepContext(parseParams(lambdaDeployParams, raw), {
      ...harness(credentials),
      ...options,
    });
    return { ...h, credentials, outcome: await deployer().execute(h.ctx) };
  };
  const invokeAlias = async (qualifier = 'live') => {
    const out = await admin().send(
      new InvokeCommand({ FunctionName: 'api', Qualifier: qualifier }),
    );
    return Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  };
  const versions = async () =>
    (
      (await admin().send(new ListVersionsByFunctionCommand({ FunctionName: 'api' }))).Versions ??
      []
    )
      .map((v) => v.Version)
      .filter((v) => v !== '$LATEST');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock, maxAttempts: 1 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    const creds = sandbox.credentialsFor(STAGING);
    const s3 = sdk.s3({ region: REGION, credentials: creds });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [key, zip] of [
      ['v1.zip', handler('return "v1";')],
      ['v2.zip', handler('return "v2";')],
      [
        'v3.zip',
        handler('console.log("got", JSON.stringify(event)); return { echo: event, v: 3 };'),
      ],
      ['broken.zip', handler('throw new TypeError("bad input");')],
    ] as const) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: zip }));
    }
    const role = await sdk.iam({ region: REGION, credentials: creds }).send(
      new CreateRoleCommand({
        RoleName: 'lambda-exec',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    for (const name of ['api', 'other']) {
      await admin().send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: role.Role?.Arn,
          Code: { S3Bucket: BUCKET, S3Key: 'v1.zip' },
        }),
      );
    }
    clock.advance(5000);
    await admin().send(new PublishVersionCommand({ FunctionName: 'api' }));
    await admin().send(
      new CreateAliasCommand({ FunctionName: 'api', Name: 'live', FunctionVersion: '1' }),
    );
  });

  it('deploys the zip, waits for the update, publishes a version and moves the alias, with only the catalog’s permissions', async () => {
    const { outcome, logs, credentials } = await deploy(deployRaw());
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: { function_arn: FN_ARN, version: '2', previous_version: '1' },
    });
    expect(await invokeAlias()).toBe('"v2"');
    const lines = logs.map((l) => l.text);
    expect(lines).toContain(`lambda: updating api to s3://${BUCKET}/v2.zip`);
    expect(lines).toContain(
      'lambda: function api is state Active, last update InProgress; waiting',
    );
    expect(lines).toContain('lambda: alias live of api now points at version 2 (was 1)');
    // The same role cannot touch a function its params do not name.
    const other = stepContext(
      parseParams(lambdaDeployParams, deployRaw({ function_name: 'other' })),
      harness(credentials),
    );
    const denied = await deployer().execute(other.ctx);
    expect(denied.kind === 'failed' && denied.code).toBe('aws');
    expect(denied.kind === 'failed' && denied.message).toMatch(
      /^AccessDeniedException: .*lambda:GetFunctionConfiguration/,
    );
  });

  it('publishes no second version when the attempt runs again, with or without its journal', async () => {
    const journal = new Map<string, JsonValue>();
    const first = await deploy(deployRaw(), { journal });
    expect(Object.fromEntries(journal)).toMatchObject({ previousVersion: '1', version: '2' });
    const again = await deploy(deployRaw(), { journal });
    expect(again.outcome).toEqual(first.outcome);
    expect(again.logs.map((l) => l.text)).toContain(
      'lambda: resuming: the code of api was already updated',
    );
    // A crash before any journal write: Lambda hands back the version of unchanged code.
    const lost = await deploy(deployRaw());
    expect(lost.outcome.kind === 'succeeded' && lost.outcome.outputs['version']).toBe('2');
    expect(await versions()).toEqual(['1', '2']);
  });

  it('rolls the alias back to the restored revision’s version, and $LATEST back to its code', async () => {
    const deployed = await deploy(deployRaw());
    const failedOutputs = deployed.outcome.kind === 'succeeded' ? deployed.outcome.outputs : {};
    const rb = rollbackContext<LambdaDeployParams>(
      {
        targetParams: parseParams(lambdaDeployParams, deployRaw({ s3_key: 'v1.zip' })),
        targetOutputs: { function_arn: FN_ARN, version: '1', previous_version: '' },
        failedOutputs,
      },
      harness(deployed.credentials),
    );
    expect(await deployer().rollback?.(rb.ctx)).toEqual({
      kind: 'succeeded',
      outputs: { function_arn: FN_ARN, version: '1', previous_version: '2' },
    });
    expect(await invokeAlias()).toBe('"v1"');
    expect(await versions()).toEqual(['1', '2']);

    // Without an alias only $LATEST changes; its rollback deploys the restored code again.
    const latest = await deploy(deployRaw({ alias: undefined }));
    expect(latest.outcome).toEqual({
      kind: 'succeeded',
      outputs: { function_arn: FN_ARN, version: '$LATEST', previous_version: '' },
    });
    expect(await invokeAlias('$LATEST')).toBe('"v2"');
    // A role for the restored revision's params: its statements name the v1 zip.
    const v1 = deployRaw({ alias: undefined, s3_key: 'v1.zip' });
    const back = rollbackContext<LambdaDeployParams>(
      { targetParams: parseParams(lambdaDeployParams, v1) },
      harness(
        await scopedCredentials(
          sandbox,
          sdk,
          STAGING,
          catalogStatements('RAMPART:LAMBDA:DEPLOY', v1, STAGING, REGION),
        ),
      ),
    );
    expect((await deployer().rollback?.(back.ctx))?.kind).toBe('succeeded');
    expect(await invokeAlias('$LATEST')).toBe('"v1"');

    const unknown = rollbackContext<LambdaDeployParams>(
      { targetParams: parseParams(lambdaDeployParams, deployRaw()) },
      harness(latest.credentials),
    );
    expect(await deployer().rollback?.(unknown.ctx)).toEqual({
      kind: 'failed',
      message:
        'cannot tell which version alias live of api goes back to: revision 6 recorded no version and the rolled-back run no previous_version',
    });
  });

  it('fails on a missing zip, a missing function and bad params', async () => {
    const missing = await deploy(deployRaw({ s3_key: 'nope.zip' }));
    expect(missing.outcome.kind === 'failed' && missing.outcome.message).toMatch(
      // Without s3:ListBucket, S3 answers a missing key with AccessDenied, as in AWS.
      /^AccessDeniedException: Your access has been denied by S3.*nope\.zip/,
    );
    const nofn = await deploy(deployRaw({ function_name: 'ghost' }));
    expect(nofn.outcome.kind === 'failed' && nofn.outcome.code).toBe('not-found');
    expect(await invokeAlias()).toBe('"v1"');

    const issues = (raw: unknown) => {
      const parsed = lambdaDeployParams.safeParse(raw);
      return parsed.success
        ? []
        : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ function_name: 'api', image_url: 'x', s3_bucket: 'b', s3_key: 'k' })).toEqual([
      'image_url: set either image_url or s3_bucket + s3_key, not both',
    ]);
    expect(
      issues({ function_name: 'api', s3_bucket: 'b', s3_key: '[ARTIFACT:code/s3_key]' }),
    ).toEqual([
      's3_key: still holds an unresolved expression or marker ("[ARTIFACT:code/s3_key]"); it must be resolved before the step runs',
    ]);
  });

  describe('LAMBDA:INVOKE', () => {
    const invoker = () => createLambdaInvokeExecutor({ sdk });
    const invoke = async (raw: Record<string, unknown>, options: HarnessOptions = {}) => {
      const credentials = await scopedCredentials(
        sandbox,
        sdk,
        STAGING,
        catalogStatements('RAMPART:LAMBDA:INVOKE', raw, STAGING, REGION),
      );
      const h = stepContext(parseParams(lambdaInvokeParams, raw), {
        ...harness(credentials),
        ...options,
      });
      return { ...h, credentials, outcome: await invoker().execute(h.ctx) };
    };
    const invocations = () =>
      sandbox.control.requestLog({ service: 'lambda', action: 'Invoke' }).length;

    it('invokes the qualified function with the payload, logs its output and answers once per attempt', async () => {
      await deploy(deployRaw({ s3_key: 'v3.zip' }));
      const journal = new Map<string, JsonValue>();
      const raw = {
        function_name: 'api',
        qualifier: 'live',
        payload: { migrate: true, to: [1, 2] },
      };
      const { outcome, logs, credentials } = await invoke(raw, { journal });
      expect(outcome).toEqual({
        kind: 'succeeded',
        outputs: { status_code: 200, response: { echo: { migrate: true, to: [1, 2] }, v: 3 } },
      });
      expect(logs.filter((l) => l.stream === 'stdout').map((l) => l.text)).toContainEqual(
        expect.stringMatching(/\tINFO\tgot {"migrate":true,"to":\[1,2\]}$/),
      );
      const before = invocations();
      const again = await invoke(raw, { journal });
      expect(again.outcome).toEqual(outcome);
      expect(invocations()).toBe(before);
      // The role may invoke the alias only: $LATEST is another resource.
      const h = stepContext(
        parseParams(lambdaInvokeParams, { function_name: 'api' }),
        harness(credentials),
      );
      const denied = await invoker().execute(h.ctx);
      expect(denied.kind === 'failed' && denied.message).toMatch(/^AccessDeniedException: /);
    });

    it('fails on a function error and on unresolved payload values', async () => {
      await deploy(deployRaw({ s3_key: 'broken.zip' }));
      const { outcome } = await invoke({ function_name: 'api', qualifier: 'live' });
      expect(outcome).toEqual({
        kind: 'failed',
        code: 'function-error',
        message: 'api (live) failed (Unhandled): TypeError: bad input',
      });
      const parsed = lambdaInvokeParams.safeParse({
        function_name: 'api',
        payload: { db: { password: '[SECRET:DB]' } },
      });
      expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([
        'payload.db.password',
      ]);
    });
  });
});
