// TERRAFORM:SYNTHESIZE with the real terraform binary against the sandbox's S3 (IAM enforced),
// with the stage role's generated policies: only built-in `terraform_data` resources, no downloads.
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { rollbackMode, type JsonValue, type StepOutcome } from '@rampart/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../test-support/is-alive.js';
import {
  TEST_TARGET,
  parseParams,
  stepContext,
  type LoggedLine,
} from '../test-support/step-context.js';
import { tempWorkspace, type TempWorkspace } from '../test-support/temp-workspace.js';
import { attemptDirectory } from './attempt-directory.js';
import { createTerraformExecutor, terraformActions } from './terraform-executor.js';
import { terraformParams, type TerraformParams } from './terraform-params.js';
import {
  KEY_ARN,
  ORGANIZATION,
  REGION,
  STAGING,
  startStateSandbox,
  type StateSandbox,
} from './test-support/state-sandbox.js';

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
// CI installs terraform; a developer without it skips these.
const skip = !onPath('terraform') && process.env.CI !== 'true';

const SECRET = 'hunter2-correct-horse-battery';

const LABEL_MODULE = `variable "name" { type = string }
output "id" { value = "\${var.name}-\${terraform.workspace}" }
`;

/** The configuration: `version` changes what a plan does to the same state. */
function config(version: 'v1' | 'v3'): string {
  const db =
    version === 'v1'
      ? `resource "terraform_data" "db" {
  input = var.db_password
}
output "db_password" {
  value     = terraform_data.db.output
  sensitive = true
}
`
      : '';
  // The configuration's own backend is replaced by Rampart's (state never lands in this file).
  return `terraform {
  backend "local" { path = "local.tfstate" }
}
variable "name" { type = string }
variable "db_password" {
  type    = string
  default = ""
}
module "label" {
  source = "../modules/label"
  name   = var.name
}
resource "terraform_data" "network" {
  input = "10.0.0.0/16"
}
resource "terraform_data" "service" {
  input            = { name = module.label.id, network = terraform_data.network.output }
  triggers_replace = ["${version === 'v1' ? 'a' : 'b'}"]
}
output "service" { value = terraform_data.service.output }
${db}`;
}

describe.skipIf(skip)('TERRAFORM:SYNTHESIZE against the sandbox', () => {
  let env: StateSandbox;
  let ws: TempWorkspace;
  let workDir: string;
  let tools: string;
  const argvLog = () => join(tools, 'argv.log');

  beforeAll(async () => {
    env = await startStateSandbox(['staging', 'locked', 'stopped']);
    ws = tempWorkspace({
      'infra/main.tf': config('v1'),
      'modules/label/main.tf': LABEL_MODULE,
      'slow/main.tf': `resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "echo started $$; exec sleep 60"
  }
}
`,
    });
    workDir = mkdtempSync(join(tmpdir(), 'rampart-tf-work-'));
    tools = mkdtempSync(join(tmpdir(), 'rampart-tf-tools-'));
    // Records every command line terraform gets, and the mode of the -var-file while it exists.
    writeFileSync(
      join(tools, 'terraform'),
      `#!/bin/sh
echo "$*" >> '${argvLog()}'
for arg in "$@"; do
  case "$arg" in -var-file=*) stat -c 'var-file mode %a' "\${arg#-var-file=}" >> '${argvLog()}' ;; esac
done
exec terraform "$@"
`,
    );
    chmodSync(join(tools, 'terraform'), 0o755);
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    ws?.remove();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(tools, { recursive: true, force: true });
  });

  const executor = () =>
    createTerraformExecutor({
      workspaces: ws.workspaces,
      sdk: env.sdk,
      organization: ORGANIZATION,
      kmsKeyArn: KEY_ARN,
      terraformPath: join(tools, 'terraform'),
      workDir,
      killGraceMs: 1000,
    });
  const target = (stage: string) => ({
    ...TEST_TARGET,
    stage,
    accountId: STAGING,
    region: REGION,
  });
  const params = (raw: Record<string, unknown>): TerraformParams =>
    parseParams(terraformParams, { source: 'infra', ...raw });

  /** One attempt of the step in `stage`: its calls share the journal and the journal key. */
  const attempt = (stage: string, raw: Record<string, unknown>, key = `web:${stage}:1`) => {
    const journal = new Map<string, JsonValue>();
    let call = 0;
    const logs: LoggedLine[] = [];
    const run = async (
      approvedBy?: string,
      abortWhen?: (line: LoggedLine) => boolean,
    ): Promise<{ outcome: StepOutcome; logs: LoggedLine[] }> => {
      call += 1;
      const h = stepContext(params(raw), {
        target: target(stage),
        credentials: () => env.stageCredentials(stage),
        journal,
        journalKey: key,
        onLog: (line) => {
          if (abortWhen?.(line) === true) h.controller.abort();
        },
      });
      const ctx = {
        ...h.ctx,
        call,
        ...(approvedBy === undefined
          ? {}
          : { approval: { actor: approvedBy, reason: 'looks right', at: '2026-03-01T10:05:00Z' } }),
      };
      const outcome = await executor().execute(ctx);
      logs.push(...h.logs);
      return { outcome, logs: h.logs };
    };
    return { run, journal, logs, dir: attemptDirectory(workDir, key) };
  };

  const state = async (stage: string) => {
    const out = await env.admin.send(
      new GetObjectCommand({ Bucket: env.bucket, Key: `web/${stage}/terraform.tfstate` }),
    );
    const parsed = JSON.parse((await out.Body?.transformToString()) ?? '{}') as {
      resources: {
        type: string;
        name: string;
        instances: { attributes: { input: { value: JsonValue } } }[];
      }[];
    };
    return {
      encryption: `${out.ServerSideEncryption ?? ''} ${out.SSEKMSKeyId ?? ''}`,
      resources: Object.fromEntries(
        // terraform_data keeps its dynamic `input` as { value, type }.
        parsed.resources.map((r) => [
          `${r.type}.${r.name}`,
          r.instances[0]?.attributes.input.value,
        ]),
      ),
    };
  };
  const text = (logs: LoggedLine[]) => logs.map((l) => l.text).join('\n');

  it('plans, applies a create-only plan without approval and returns the outputs', async () => {
    rmSync(argvLog(), { force: true });
    const first = attempt('staging', {
      variables: { name: 'web', db_password: SECRET },
      requires_approval: 'DESTRUCTIVE_CHANGES_ONLY',
    });
    const { outcome, logs } = await first.run();
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: {
        service: { name: 'web-default', network: '10.0.0.0/16' },
        db_password: SECRET,
      },
    });
    const info = logs.filter((l) => l.stream === 'info').map((l) => l.text);
    expect(info).toContain(
      'created the empty state s3://222222222222-rampart-acme-tfstate/web/staging/terraform.tfstate',
    );
    expect(info).toContain(
      'plan: 3 to create, 0 to update, 0 to delete, 0 to replace, 2 outputs changed (create-only)',
    );
    expect(info).toContain('  + create terraform_data.network');
    expect(info).toContain('output service = {"name":"web-default","network":"10.0.0.0/16"}');
    expect(info).toContain('output db_password = (sensitive)');
    // Terraform prints the unmarked variable in the plan; the log masks it.
    expect(text(logs)).toMatch(/\+ input += "\[REDACTED\]"/);
    expect(text(logs)).not.toContain(SECRET);

    // The state: in the organization's bucket under the stage's key, with the organization key,
    // and the lock released.
    expect(await state('staging')).toEqual({
      encryption: `aws:kms ${KEY_ARN}`,
      resources: {
        'terraform_data.network': '10.0.0.0/16',
        'terraform_data.service': { name: 'web-default', network: '10.0.0.0/16' },
        'terraform_data.db': SECRET,
      },
    });
    await expect(
      env.admin.send(
        new HeadObjectCommand({ Bucket: env.bucket, Key: 'web/staging/terraform.tfstate.tflock' }),
      ),
    ).rejects.toMatchObject({ name: 'NotFound' });

    // Variables and backend settings travel in files: the command lines name files only, and
    // the variables file is readable by its owner alone while it exists.
    const argv = readFileSync(argvLog(), 'utf8');
    expect(
      argv
        .split('\n')
        .filter((l) => !l.startsWith('var-file'))
        .map((l) => l.split(' ')[0]),
    ).toEqual(['init', 'plan', 'show', 'apply', 'output', '']);
    expect(argv).toContain('var-file mode 600');
    expect(argv).not.toContain(SECRET);
    expect(argv).not.toContain('web-default');
    expect(argv).not.toContain(env.bucket);
    expect(argv).toMatch(/-var-file=\S+rampart\.tfvars\.json/);
    // Nothing of the attempt stays behind: copy, plan and variables are gone.
    expect(existsSync(first.dir.root)).toBe(false);
  });

  it('asks for approval under ALWAYS, re-plans a plan gone stale, and applies the approved one', async () => {
    const update = attempt('staging', {
      variables: { name: 'api', db_password: SECRET },
      requires_approval: 'ALWAYS',
    });
    const asked = await update.run();
    expect(asked.outcome).toEqual({
      kind: 'approval-required',
      message: [
        'Terraform plan of infra in stage staging: 0 to create, 1 to update, 0 to delete, 0 to replace, 1 output changed (requires_approval is ALWAYS).',
        '  ~ update terraform_data.service',
      ].join('\n'),
    });
    expect(update.journal.get('terraformPlan')).toMatchObject({ kind: 'update' });
    expect(JSON.stringify(update.journal.get('terraformPlan'))).not.toContain(SECRET);
    // Nothing applied yet.
    expect((await state('staging')).resources['terraform_data.service']).toMatchObject({
      name: 'web-default',
    });

    // Meanwhile another run changes the state: the saved plan no longer applies.
    const other = attempt(
      'staging',
      { variables: { name: 'other', db_password: SECRET }, requires_approval: 'NEVER' },
      'web:staging:other',
    );
    expect((await other.run()).outcome.kind).toBe('succeeded');

    const stale = await update.run('alice');
    expect(stale.outcome).toEqual({
      kind: 'approval-required',
      message: expect.stringMatching(
        /^Terraform plan of infra in stage staging: 0 to create, 1 to update, .*\(requires_approval is ALWAYS; planned again: the approved plan is stale: the state changed after it was made\)\.\n {2}~ update terraform_data\.service$/,
      ) as unknown,
    });
    expect(text(stale.logs)).toContain('applying the plan alice approved');

    const applied = await update.run('alice');
    expect(applied.outcome).toMatchObject({
      kind: 'succeeded',
      outputs: { service: { name: 'api-default', network: '10.0.0.0/16' } },
    });
    expect(text(applied.logs)).not.toMatch(/terraform (init|plan)/);
    expect(existsSync(update.dir.root)).toBe(false);
  });

  it('holds a destructive plan for approval, plans again when the saved plan is gone, and applies it', async () => {
    writeFileSync(join(ws.root, 'infra', 'main.tf'), config('v3'));
    try {
      const destroy = attempt('staging', {
        variables: { name: 'api' },
        requires_approval: 'DESTRUCTIVE_CHANGES_ONLY',
      });
      const asked = await destroy.run();
      const expected = [
        '0 to create, 0 to update, 1 to delete, 1 to replace, 2 outputs changed (requires_approval is DESTRUCTIVE_CHANGES_ONLY and the plan deletes or replaces resources',
        '  - delete terraform_data.db',
        '  -/+ replace terraform_data.service',
      ];
      expect(asked.outcome.kind).toBe('approval-required');
      const message =
        asked.outcome.kind === 'approval-required' ? (asked.outcome.message ?? '') : '';
      for (const part of expected) expect(message).toContain(part);

      // The control plane lost its work directory while the plan waited.
      rmSync(destroy.dir.root, { recursive: true, force: true });
      const again = await destroy.run('bob');
      expect(again.outcome.kind).toBe('approval-required');
      expect(again.outcome.kind === 'approval-required' && again.outcome.message).toContain(
        'planned again: the approved plan is gone',
      );

      const applied = await destroy.run('bob');
      expect(applied.outcome.kind).toBe('succeeded');
      expect(Object.keys((await state('staging')).resources).sort()).toEqual([
        'terraform_data.network',
        'terraform_data.service',
      ]);
    } finally {
      writeFileSync(join(ws.root, 'infra', 'main.tf'), config('v1'));
    }
  });

  it('applies a destructive plan at once under NEVER', async () => {
    const { outcome, logs } = await attempt('staging', {
      variables: { name: 'api', db_password: SECRET },
      requires_approval: 'NEVER',
    }).run();
    expect(outcome.kind).toBe('succeeded');
    expect(text(logs)).toContain(
      'plan: 1 to create, 0 to update, 0 to delete, 1 to replace, 2 outputs changed (destructive)',
    );
  });

  it('reports a state lock held elsewhere: who holds it and how to release it', async () => {
    const lockId = '6f1c2a7e-0000-4000-8000-000000000001';
    await env.admin.send(
      new PutObjectCommand({
        Bucket: env.bucket,
        Key: 'web/locked/terraform.tfstate.tflock',
        Body: JSON.stringify({
          ID: lockId,
          Operation: 'OperationTypeApply',
          Info: '',
          Who: 'carol@laptop',
          Version: '1.11.4',
          Created: '2026-03-01T09:00:00Z',
          Path: `${env.bucket}/web/locked/terraform.tfstate`,
        }),
      }),
    );
    const { outcome } = await attempt('locked', { variables: { name: 'web' } }).run();
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'TERRAFORM_STATE_LOCKED',
      message: `the Terraform state s3://${env.bucket}/web/locked/terraform.tfstate is locked by carol@laptop (running apply, since 2026-03-01 09:00:00 +0000 UTC, lock ID ${lockId}): wait for that run to finish and retry the stage; if it is gone for good, release the lock: run "terraform force-unlock ${lockId}" in the configuration with this backend, or delete s3://${env.bucket}/web/locked/terraform.tfstate.tflock`,
    });
  });

  it('stops terraform and what it started when the step is aborted', async () => {
    let pid: number | undefined;
    const { outcome } = await attempt('stopped', { source: 'slow' }).run(undefined, (line) => {
      const started = /\(local-exec\): started (\d+)/.exec(line.text);
      if (started?.[1] === undefined) return false;
      pid = Number(started[1]);
      return true;
    });
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'cancelled',
      message: 'the step was stopped during terraform apply; so was terraform',
    });
    expect(pid).toBeDefined();
    expect(isAlive(pid ?? 0)).toBe(false);
    expect(readdirSync(workDir)).toEqual([]);
  });
});

describe('TERRAFORM:SYNTHESIZE declaration', () => {
  const executor = createTerraformExecutor({
    workspaces: () => Promise.resolve(tmpdir()),
    sdk: {} as never,
    organization: ORGANIZATION,
  });

  it('asks for the IAM actions core’s catalog lists and declares no rollback', () => {
    expect(terraformActions(parseParams(terraformParams, { source: 'infra' }))).toEqual([
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(executor.type).toBe('RAMPART:TERRAFORM:SYNTHESIZE');
    expect('rollback' in executor).toBe(false);
    // The engine leaves Terraform steps out of rollbacks.
    expect(rollbackMode('RAMPART:TERRAFORM:SYNTHESIZE')).toBe('skip');
  });
});
