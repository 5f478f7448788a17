import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClientFactory } from '@rampart/aws';
import { StepExecutorRegistry } from '@rampart/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinStepExecutors } from './builtin-step-executors.js';
import { terraformParams } from './terraform/terraform-params.js';
import { parseParams, stepContext } from './test-support/step-context.js';
import { tempWorkspace } from './test-support/temp-workspace.js';

describe('builtinStepExecutors', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.remove());
  const sdk = new AwsClientFactory({ endpointUrl: 'http://127.0.0.1:4566' });

  it('registers the script, test, AWS and Terraform step types, leaving bake and manual approval to the engine', () => {
    const registry = new StepExecutorRegistry();
    for (const executor of builtinStepExecutors({ sdk, workspaces: ws.workspaces })) {
      registry.register(executor);
    }
    expect(registry.types()).toEqual([
      'RAMPART:APPROVAL:TEST',
      'RAMPART:CLOUDFORMATION:DEPLOY',
      'RAMPART:CLOUDFRONT:INVALIDATE',
      'RAMPART:ECS:DEPLOY',
      'RAMPART:ECS:RUN_TASK',
      'RAMPART:LAMBDA:DEPLOY',
      'RAMPART:LAMBDA:INVOKE',
      'RAMPART:S3:UPLOAD',
      'RAMPART:SCRIPT:RUN',
      'RAMPART:TERRAFORM:SYNTHESIZE',
    ]);
    expect(registry.get('DEVRAMPS:LAMBDA:DEPLOY')?.type).toBe('RAMPART:LAMBDA:DEPLOY');
    expect(registry.get('DEVRAMPS:SCRIPT:RUN')?.type).toBe('RAMPART:SCRIPT:RUN');
    expect(registry.get('RAMPART:APPROVAL:BAKE')).toBeUndefined();
  });

  it('gives scripts the factory’s endpoint override unless one is passed', async () => {
    const endpointOf = async (endpointUrl?: string) => {
      const [script] = builtinStepExecutors({
        sdk,
        workspaces: ws.workspaces,
        ...(endpointUrl === undefined ? {} : { endpointUrl }),
      });
      if (script === undefined) throw new Error('no executor');
      const h = stepContext(
        parseParams(script.paramsSchema, {
          command: 'echo "URL=$AWS_ENDPOINT_URL" > "$RAMPART_OUTPUT"',
        }),
      );
      return script.execute(h.ctx);
    };
    expect(await endpointOf()).toEqual({
      kind: 'succeeded',
      outputs: { URL: 'http://127.0.0.1:4566' },
    });
    expect(await endpointOf('http://localhost:9999')).toEqual({
      kind: 'succeeded',
      outputs: { URL: 'http://localhost:9999' },
    });
  });

  const terraformOf = (options: { organization?: boolean; workDir?: string }) => {
    const executor = builtinStepExecutors({
      sdk,
      workspaces: ws.workspaces,
      ...(options.workDir === undefined ? {} : { workDir: options.workDir }),
      ...(options.organization === true
        ? {
            organization: {
              slug: 'acme',
              cicd_account_id: '222222222222',
              cicd_account_region: 'us-east-1',
            },
          }
        : {}),
    }).find((e) => e.type === 'RAMPART:TERRAFORM:SYNTHESIZE');
    if (executor === undefined) throw new Error('no Terraform executor');
    return executor;
  };

  it('fails Terraform steps with TERRAFORM_NO_ORGANIZATION when there is no organization', async () => {
    const terraform = terraformOf({});
    // Same params and IAM as the real executor, so validation and bootstrap do not differ.
    expect(() => parseParams(terraform.paramsSchema, {})).toThrow(/source/);
    const params = parseParams(terraform.paramsSchema, { source: 'infra' });
    expect(terraform.iamActions(params)).toContain('s3:PutObject');
    const outcome = await terraform.execute(stepContext(params).ctx);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'TERRAFORM_NO_ORGANIZATION' });
    expect(outcome.kind === 'failed' ? outcome.message : '').toContain(
      'lacks organization.slug, organization.cicd_account_id, organization.cicd_account_region',
    );
  });

  it('names the organization keys the configuration lacks', async () => {
    const terraform = builtinStepExecutors({
      sdk,
      workspaces: ws.workspaces,
      organization: { slug: 'acme' },
    }).find((e) => e.type === 'RAMPART:TERRAFORM:SYNTHESIZE');
    const params = parseParams(terraformParams, { source: 'infra' });
    const outcome = await terraform?.execute(stepContext(params).ctx);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'TERRAFORM_NO_ORGANIZATION' });
    expect(outcome?.kind === 'failed' ? outcome.message : '').toContain(
      'lacks organization.cicd_account_id, organization.cicd_account_region,',
    );
  });

  it('runs Terraform with the organization, keeping attempts under <workDir>/terraform', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'rampart-builtin-work-'));
    try {
      // An abandoned attempt from a week and a day ago: the real executor sweeps it first.
      const stale = join(workDir, 'terraform', '0123456789abcdef0123456789abcdef');
      mkdirSync(stale, { recursive: true });
      const old = new Date(Date.now() - 8 * 24 * 3_600_000);
      utimesSync(stale, old, old);
      const terraform = terraformOf({ organization: true, workDir });
      const params = parseParams(terraform.paramsSchema, { source: 'no-such-folder' });
      const outcome = await terraform.execute(stepContext(params).ctx);
      expect(outcome).toMatchObject({ kind: 'failed', code: 'workspace' });
      expect(existsSync(stale)).toBe(false);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
