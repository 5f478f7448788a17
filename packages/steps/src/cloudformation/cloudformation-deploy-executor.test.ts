import {
  DescribeStacksCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { AwsClientFactory } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
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
import { tempWorkspace } from '../test-support/temp-workspace.js';
import {
  TEMPLATE_OUTPUT,
  createCloudFormationDeployExecutor,
} from './cloudformation-deploy-executor.js';
import {
  cloudFormationDeployParams,
  type CloudFormationDeployParams,
} from './cloudformation-params.js';

const STAGING = '444444444444';
const REGION = 'us-east-1';
const V1 = `Parameters:
  Version: { Type: String }
Resources:
  Handle: { Type: AWS::CloudFormation::WaitConditionHandle }
Outputs:
  Version: { Value: !Ref Version }
`;
const V2 =
  `${V1.replace('Outputs:', 'Outputs:\n  Extra: { Value: !Ref Extra }')}  Extra2: { Value: two }
`.replace(
    'Resources:\n',
    'Resources:\n  Extra: { Type: AWS::CloudFormation::WaitConditionHandle }\n',
  );
const BAD = V1.replace(
  'Resources:\n',
  'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: { BucketName: cfn-test-444444444444 }\n',
);

describe('CLOUDFORMATION:DEPLOY against the sandbox', () => {
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  const ws = tempWorkspace({
    'infra/v1.yaml': V1,
    'infra/v2.yaml': V2,
    'infra/bad.yaml': BAD,
    'infra/huge.yaml': `${V1}# ${'x'.repeat(60_000)}\n`,
  });
  const executor = () =>
    createCloudFormationDeployExecutor({
      sdk,
      workspaces: ws.workspaces,
      poller: { intervalMs: 0, sleep: () => new Promise((resolve) => setImmediate(resolve)) },
    });
  const raw = (template: string, version: string, extra: Record<string, unknown> = {}) => ({
    template: `infra/${template}.yaml`,
    stack_name: 'web-infra',
    parameters: { Version: version },
    tags: { team: 'web' },
    ...extra,
  });
  let credentials: () => Promise<StageCredentials>;
  const harness = (options: HarnessOptions = {}): HarnessOptions => ({
    target: { ...TEST_TARGET, accountId: STAGING, region: REGION },
    credentials,
    ...options,
  });
  const deploy = async (params: Record<string, unknown>, options: HarnessOptions = {}) => {
    const h = stepContext(parseParams(cloudFormationDeployParams, params), harness(options));
    return { ...h, outcome: await executor().execute(h.ctx) };
  };
  const cfn = () =>
    sdk.cloudFormation({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
  const stack = async () =>
    (await cfn().send(new DescribeStacksCommand({ StackName: 'web-infra' }))).Stacks?.[0];
  const calls = (action: string) =>
    sandbox.control.requestLog({ service: 'cloudformation', action }).length;

  beforeAll(async () => {
    sandbox = await startSandbox({ tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    await sandbox.stop();
    ws.remove();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      catalogStatements('RAMPART:CLOUDFORMATION:DEPLOY', raw('v1', '1'), STAGING, REGION),
    );
  });

  it('creates the stack through a change set, logs changes and events, and outputs the stack’s outputs', async () => {
    const { outcome, logs } = await deploy(raw('v1', '1'));
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: { Version: '1', [TEMPLATE_OUTPUT]: V1 },
    });
    const lines = logs.map((l) => l.text);
    expect(lines).toContain(
      'cloudformation: Add Handle (AWS::CloudFormation::WaitConditionHandle)',
    );
    expect(lines).toContain('Handle AWS::CloudFormation::WaitConditionHandle CREATE_COMPLETE');
    expect(lines.at(-1)).toBe('web-infra AWS::CloudFormation::Stack CREATE_COMPLETE');
    expect(await stack()).toMatchObject({
      StackStatus: 'CREATE_COMPLETE',
      Tags: [{ Key: 'team', Value: 'web' }],
    });

    // Deploying the same template and parameters again (another attempt) changes nothing.
    const same = await deploy(raw('v1', '1'), { journalKey: 'pl-1:8/0/r1/s0/c1' });
    expect(same.outcome).toEqual(outcome);
    expect(same.logs.map((l) => l.text)).toContain(
      'cloudformation: web-infra is up to date: nothing to change',
    );
    const sets = await cfn().send(new ListChangeSetsCommand({ StackName: 'web-infra' }));
    expect(sets.Summaries?.map((s) => s.ExecutionStatus)).toEqual(['EXECUTE_COMPLETE']);
  });

  it('creates and executes one change set per attempt, even when the journal write was lost', async () => {
    const journal = new Map<string, JsonValue>();
    const first = await deploy(raw('v1', '1'), { journal });
    expect(Object.fromEntries(journal)).toMatchObject({ executed: true });
    const again = await deploy(raw('v1', '1'), { journal });
    expect(again.outcome).toEqual(first.outcome);
    expect(again.logs.map((l) => l.text)).toContainEqual(
      expect.stringMatching(
        /^cloudformation: resuming: change set rampart-[0-9a-f]{32} was already executed$/,
      ),
    );
    // A crash between ExecuteChangeSet and its journal write: the change set says it ran.
    const lost = await deploy(raw('v1', '1'));
    expect(lost.outcome).toEqual(first.outcome);
    expect([calls('CreateChangeSet'), calls('ExecuteChangeSet')]).toEqual([1, 1]);
  });

  it('rolls the stack back to the restored revision’s template and parameters', async () => {
    const v1 = await deploy(raw('v1', '1'));
    const v2 = await deploy(raw('v2', '2'), { journalKey: 'pl-1:8/0/r1/s0/c1' });
    expect(v2.outcome).toEqual({
      kind: 'succeeded',
      outputs: {
        Version: '2',
        Extra: expect.any(String) as string,
        Extra2: 'two',
        [TEMPLATE_OUTPUT]: V2,
      },
    });
    const rb = rollbackContext<CloudFormationDeployParams>(
      {
        targetParams: parseParams(cloudFormationDeployParams, raw('v1', '1')),
        ...(v1.outcome.kind === 'succeeded' ? { targetOutputs: v1.outcome.outputs } : {}),
        ...(v2.outcome.kind === 'succeeded' ? { failedOutputs: v2.outcome.outputs } : {}),
      },
      harness(),
    );
    expect(await executor().rollback?.(rb.ctx)).toEqual({
      kind: 'succeeded',
      outputs: { Version: '1', [TEMPLATE_OUTPUT]: V1 },
    });
    expect(rb.logs.map((l) => l.text)).toContain(
      'cloudformation: web-infra rolled back the template and parameters of revision 6',
    );
    expect((await stack())?.Parameters).toEqual([{ ParameterKey: 'Version', ParameterValue: '1' }]);
    const template = await cfn().send(new GetTemplateCommand({ StackName: 'web-infra' }));
    expect(template.TemplateBody).toBe(V1);

    const unknown = rollbackContext<CloudFormationDeployParams>(
      { targetParams: parseParams(cloudFormationDeployParams, raw('v1', '1')) },
      harness(),
    );
    expect(await executor().rollback?.(unknown.ctx)).toEqual({
      kind: 'failed',
      message: `cannot restore stack web-infra: revision 6 recorded no template for step "Step" (output ${TEMPLATE_OUTPUT})`,
    });
  });

  it('fails with the first failed resource’s reason, and CloudFormation rolls the update back', async () => {
    await deploy(raw('v1', '1'));
    const { outcome, logs } = await deploy(raw('bad', '1'), { journalKey: 'pl-1:8/0/r1/s0/c1' });
    expect(outcome.kind === 'failed' && outcome.code).toBe('stack-failed');
    expect(outcome.kind === 'failed' && outcome.message).toMatch(
      /^stack web-infra ended UPDATE_ROLLBACK_COMPLETE: Bucket \(AWS::S3::Bucket\) CREATE_FAILED: .*AccessDenied/,
    );
    expect(logs.map((l) => l.text)).toContainEqual(
      expect.stringMatching(/^Bucket AWS::S3::Bucket CREATE_FAILED: /),
    );
    expect((await stack())?.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
  });

  it('is denied another stack and refuses templates outside the repository or too large', async () => {
    const other = await deploy(raw('v1', '1', { stack_name: 'other' }));
    expect(other.outcome.kind === 'failed' && other.outcome.message).toMatch(
      /^AccessDenied: .*cloudformation:DescribeStacks/,
    );
    const outside = await deploy(raw('v1', '1', { template: '../etc/passwd' }));
    expect(outside.outcome).toEqual({
      kind: 'failed',
      code: 'workspace',
      message: 'template "../etc/passwd" leads outside the repository: use a path inside it',
    });
    const huge = await deploy(raw('huge', '1'));
    expect(huge.outcome.kind === 'failed' && huge.outcome.code).toBe('template');
    const parsed = cloudFormationDeployParams.safeParse({
      template: 't.yaml',
      stack_name: 's',
      capabilities: ['CAPABILITY_ROOT'],
      parameters: { A: { nested: 1 } },
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([
      'capabilities',
    ]);
    const unresolved = cloudFormationDeployParams.safeParse({
      template: 't.yaml',
      stack_name: 's',
      parameters: { A: { nested: 1 }, B: ['x', 2], C: '[SECRET:C]' },
    });
    expect(unresolved.success ? [] : unresolved.error.issues.map((i) => i.path.join('.'))).toEqual([
      'parameters.A',
      'parameters.C',
    ]);
  });
});
