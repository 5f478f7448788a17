// TERRAFORM:SYNTHESIZE: plan a configuration of the repository against the stage's state (S3
// backend configured by Rampart), classify the plan, ask for approval when `requires_approval`
// says so, and apply the saved plan; the configuration's outputs become the step's outputs.
// No rollback: the catalog marks the type `skip`, so the engine never runs it in a rollback.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AwsClientFactory } from '@rampart/aws';
import { STEP_TYPES } from '@rampart/core';
import {
  defineStepExecutor,
  type JsonValue,
  type StageCredentials,
  type StepContext,
  type StepExecutor,
  type StepOutcome,
} from '@rampart/engine';
import { commandEnvironment, defaultBaseEnvironment } from '../command/command-environment.js';
import { realWorkspacePath, workspacePath } from '../workspace/workspace-path.js';
import type { Workspaces } from '../workspace/workspaces.js';
import {
  attemptDirectory,
  fileSha256,
  prepareAttemptDirectory,
  removeAttemptDirectory,
  sweepAttemptDirectories,
  type AttemptDirectory,
} from './attempt-directory.js';
import { maskerFor, type Masker } from './log-masking.js';
import {
  PlanJsonError,
  changeLines,
  countsLine,
  summarizePlan,
  type PlanKind,
  type PlanSummary,
} from './plan-summary.js';
import {
  BACKEND_OVERRIDE_FILE,
  backendConfigText,
  backendOverrideText,
  ensureStateObject,
  stateLocation,
  type StateLocation,
  type TerraformOrganization,
} from './state-backend.js';
import {
  isStalePlan,
  runTerraform,
  terraformFailure,
  type FailedOutcome,
  type TerraformRunner,
} from './terraform-command.js';
import { outputLines, parseTerraformOutputs } from './terraform-outputs.js';
import {
  terraformParams,
  type TerraformApprovalMode,
  type TerraformParams,
} from './terraform-params.js';

/** Options of {@link createTerraformExecutor}. */
export interface TerraformExecutorOptions {
  /** Finds the revision's files. */
  workspaces: Workspaces;
  /** Creates the stage's state object before its first run (see `ensureStateObject`). */
  sdk: AwsClientFactory;
  /** The control plane's organization: the state bucket, in its CI/CD account and region. */
  organization: TerraformOrganization;
  /**
   * The organization's KMS key ARN (the org stack's `KeyArn` output): the state is written with
   * it explicitly. @default absent: the bucket's default encryption, which bootstrap sets to the
   * same key
   */
  kmsKeyArn?: string;
  /** The AWS endpoint override (the sandbox). @default the factory's */
  endpointUrl?: string;
  /** The terraform binary. @default 'terraform' (looked up on PATH) */
  terraformPath?: string;
  /** Where attempts keep their copy, Terraform data and saved plan between calls. @default `<tmpdir>/rampart-terraform` */
  workDir?: string;
  /** PATH, LANG and whatever else terraform gets. @default the server's PATH and LANG=C.UTF-8 */
  baseEnv?: Record<string, string>;
  /** Time between SIGTERM and SIGKILL when the step is stopped. @default 10000 */
  killGraceMs?: number;
  /** How long terraform waits for a held state lock before it fails. @default 0 */
  lockTimeoutSeconds?: number;
  /** Saved plans nobody approved or rejected are removed after this long. @default 168 */
  keepPlansHours?: number;
  /** A provider cache shared by all runs (`TF_PLUGIN_CACHE_DIR`). @default none */
  pluginCacheDir?: string;
}

/** The journal entry of a plan waiting for approval. */
const PLAN_ENTRY = 'terraformPlan';
/** Resources named in an approval request. */
const APPROVAL_LIST = 30;
/** Resources named in the log. */
const LOG_LIST = 200;

/** The TERRAFORM:SYNTHESIZE executor. */
export function createTerraformExecutor(
  options: TerraformExecutorOptions,
): StepExecutor<TerraformParams> {
  return defineStepExecutor<TerraformParams>({
    type: 'RAMPART:TERRAFORM:SYNTHESIZE',
    paramsSchema: terraformParams,
    iamActions: (params) => terraformActions(params),
    execute: (ctx) => executeTerraform(ctx, options),
  });
}

/** The actions core's catalog grants for TERRAFORM:SYNTHESIZE (the state backend only). */
export function terraformActions(params: TerraformParams): string[] {
  const statements = STEP_TYPES['RAMPART:TERRAFORM:SYNTHESIZE'].iam(params, {
    partition: 'aws',
    accountId: '000000000000',
    region: 'us-east-1',
    pipelineSlug: 'pipeline',
    stageName: 'stage',
  });
  return [...new Set(statements.flatMap((s) => s.Action))].sort();
}

/** What one call works with. */
interface Call {
  ctx: StepContext<TerraformParams>;
  options: TerraformExecutorOptions;
  dir: AttemptDirectory;
  state: StateLocation;
  credentials: StageCredentials;
  endpointUrl: string | undefined;
  mask: Masker;
  runner: (cwd: string) => TerraformRunner;
}

async function executeTerraform(
  ctx: StepContext<TerraformParams>,
  options: TerraformExecutorOptions,
): Promise<StepOutcome> {
  const workDir = options.workDir ?? join(tmpdir(), 'rampart-terraform');
  const dir = attemptDirectory(workDir, ctx.journalKey);
  await sweepAttemptDirectories(
    workDir,
    (options.keepPlansHours ?? 168) * 3_600_000,
    Date.now(),
    dir.root,
  );
  const credentials = await ctx.credentials();
  const endpointUrl = options.endpointUrl ?? options.sdk.endpointUrl;
  const mask = maskerFor(credentials, ctx.params.variables);
  const env = terraformEnvironment(ctx, options, dir, credentials, endpointUrl);
  const call: Call = {
    ctx,
    options,
    dir,
    state: stateLocation(options.organization, ctx.target, options.kmsKeyArn),
    credentials,
    endpointUrl,
    mask,
    runner: (cwd) => ({
      terraform: options.terraformPath ?? 'terraform',
      cwd,
      env,
      signal: ctx.signal,
      log: (text, stream) => ctx.log(text, stream),
      mask,
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    }),
  };
  let keep = false;
  try {
    let replanned: string | undefined;
    if (ctx.approval !== undefined) {
      const saved = await usableSavedPlan(call);
      if (saved.ok) {
        ctx.log(`applying the plan ${ctx.approval.actor} approved`, 'info');
        const applied = await applyPlan(call, saved.cwd);
        if (applied !== 'stale') return applied;
        replanned = 'the approved plan is stale: the state changed after it was made';
      } else {
        replanned = saved.reason;
      }
      ctx.log(`${replanned}; planning again`, 'info');
    }
    const planned = await makePlan(call);
    if (planned.kind === 'failed') return planned.outcome;
    const { summary } = planned;
    const why = approvalReason(ctx.params.requires_approval, summary.kind);
    if (why !== undefined) {
      const sha256 = await fileSha256(dir.plan);
      await ctx.effects.put(PLAN_ENTRY, {
        dir: dir.root,
        cwd: planned.cwd,
        sha256: sha256 ?? '',
        kind: summary.kind,
        counts: { ...summary.counts },
      });
      keep = true;
      return {
        kind: 'approval-required',
        message: approvalMessage(call, summary, why, replanned),
      };
    }
    const applied = await applyPlan(call, planned.cwd);
    if (applied === 'stale') {
      return {
        kind: 'failed',
        code: 'TERRAFORM_COMMAND_FAILED',
        message:
          'the plan went stale before it was applied: another run changed the state in between; retry the stage',
      };
    }
    return applied;
  } finally {
    if (!keep) await removeAttemptDirectory(dir);
  }
}

type Planned =
  | { kind: 'planned'; summary: PlanSummary; cwd: string }
  | { kind: 'failed'; outcome: FailedOutcome };

/** Copies the revision, configures the backend, and runs init, plan and show. */
async function makePlan(call: Call): Promise<Planned> {
  const { ctx, dir, state } = call;
  const source = await sourceDirectory(ctx, call.options.workspaces);
  if (!source.ok) return failed('workspace', source.message);
  await prepareAttemptDirectory(dir, source.root);
  const cwd = join(dir.repo, source.relative);
  await writeFile(join(cwd, BACKEND_OVERRIDE_FILE), backendOverrideText());
  await writeFile(dir.backendConfig, backendConfigText(state, call.endpointUrl), { mode: 0o600 });

  const prepared = await ensureStateObject(stateClient(call), state, ctx.signal);
  if (!prepared.ok) {
    if (ctx.signal.aborted) return failed('cancelled', 'the step was stopped');
    return failed('TERRAFORM_STATE_UNAVAILABLE', prepared.message);
  }
  if (prepared.created) {
    ctx.log(`created the empty state s3://${state.bucket}/${state.key}`, 'info');
  }
  const runner = call.runner(cwd);
  const lock = `-lock-timeout=${call.options.lockTimeoutSeconds ?? 0}s`;
  const init = await runTerraform(runner, [
    'init',
    '-input=false',
    '-no-color',
    lock,
    `-backend-config=${dir.backendConfig}`,
  ]);
  const initFailure = terraformFailure('init', init, state);
  if (initFailure !== undefined) return { kind: 'failed', outcome: initFailure };

  // Variables go in a file only this user can read, deleted as soon as the plan is made (the
  // saved plan carries them to apply); never on the command line, where `ps` shows them.
  await writeFile(dir.variables, JSON.stringify(ctx.params.variables), { mode: 0o600 });
  let plan;
  try {
    plan = await runTerraform(runner, [
      'plan',
      '-input=false',
      '-no-color',
      lock,
      `-out=${dir.plan}`,
      `-var-file=${dir.variables}`,
    ]);
  } finally {
    await rm(dir.variables, { force: true });
  }
  const planFailure = terraformFailure('plan', plan, state);
  if (planFailure !== undefined) return { kind: 'failed', outcome: planFailure };

  const show = await runTerraform(runner, ['show', '-no-color', '-json', dir.plan], {
    stdoutTo: dir.planJson,
  });
  const showFailure = terraformFailure('show', show, state);
  if (showFailure !== undefined) return { kind: 'failed', outcome: showFailure };
  let summary: PlanSummary;
  try {
    summary = summarizePlan(await readFile(dir.planJson, 'utf8'));
  } catch (error) {
    if (!(error instanceof PlanJsonError)) throw error;
    return failed('TERRAFORM_COMMAND_FAILED', error.message);
  } finally {
    // The JSON plan holds the variables' values too.
    await rm(dir.planJson, { force: true });
  }
  ctx.log(`plan: ${countsLine(summary)} (${summary.kind})`, 'info');
  for (const line of changeLines(summary, LOG_LIST)) ctx.log(`  ${runner.mask(line)}`, 'info');
  return { kind: 'planned', summary, cwd };
}

/** Applies the saved plan and reads the outputs; `stale` when Terraform refuses the plan. */
async function applyPlan(call: Call, cwd: string): Promise<StepOutcome | 'stale'> {
  const { ctx, dir, state } = call;
  const runner = call.runner(cwd);
  const lock = `-lock-timeout=${call.options.lockTimeoutSeconds ?? 0}s`;
  const apply = await runTerraform(runner, ['apply', '-input=false', '-no-color', lock, dir.plan]);
  if (apply.outcome.kind === 'exited' && apply.outcome.code !== 0 && isStalePlan(apply)) {
    return 'stale';
  }
  const applyFailure = terraformFailure('apply', apply, state);
  if (applyFailure !== undefined) return applyFailure;
  const output = await runTerraform(runner, ['output', '-no-color', '-json'], {
    stdoutTo: dir.outputsJson,
  });
  const outputFailure = terraformFailure('output', output, state);
  if (outputFailure !== undefined) return outputFailure;
  let outputs;
  try {
    outputs = parseTerraformOutputs(await readFile(dir.outputsJson, 'utf8'));
  } catch (error) {
    return failed('TERRAFORM_COMMAND_FAILED', `terraform output -json: ${String(error)}`).outcome;
  }
  for (const line of outputLines(outputs)) ctx.log(`output ${runner.mask(line)}`, 'info');
  return { kind: 'succeeded', outputs: outputs.values };
}

type SavedPlanCheck = { ok: true; cwd: string } | { ok: false; reason: string };

/** The plan the approval was for, if it is still there and unchanged. */
async function usableSavedPlan(call: Call): Promise<SavedPlanCheck> {
  const entry: JsonValue | undefined = (await call.ctx.effects.get())[PLAN_ENTRY];
  const saved =
    entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry : undefined;
  const cwd = typeof saved?.['cwd'] === 'string' ? saved['cwd'] : undefined;
  if (saved === undefined || cwd === undefined || saved['dir'] !== call.dir.root) {
    return { ok: false, reason: 'no saved plan is recorded for this approval' };
  }
  const sha256 = await fileSha256(call.dir.plan);
  if (sha256 === undefined) {
    return {
      ok: false,
      reason:
        'the approved plan is gone (the control plane restarted elsewhere or its work directory was cleaned)',
    };
  }
  if (sha256 !== saved['sha256']) {
    return { ok: false, reason: 'the saved plan file changed after it was approved' };
  }
  return { ok: true, cwd };
}

/** Why the plan needs a person, or `undefined` when it can be applied now. */
function approvalReason(mode: TerraformApprovalMode, kind: PlanKind): string | undefined {
  switch (mode) {
    case 'NEVER':
      return undefined;
    case 'ALWAYS':
      // A plan that changes nothing has nothing to approve.
      return kind === 'no-changes' ? undefined : 'requires_approval is ALWAYS';
    case 'DESTRUCTIVE_CHANGES_ONLY':
      return kind === 'destructive'
        ? 'requires_approval is DESTRUCTIVE_CHANGES_ONLY and the plan deletes or replaces resources'
        : undefined;
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}

/** The approval request: why, the counts, and the resources that change. */
function approvalMessage(
  { ctx, mask }: Call,
  summary: PlanSummary,
  why: string,
  replanned: string | undefined,
): string {
  const head =
    `Terraform plan of ${ctx.params.source} in stage ${ctx.target.stage}: ${countsLine(summary)}` +
    ` (${why}${replanned === undefined ? '' : `; planned again: ${replanned}`}).`;
  return [head, ...changeLines(summary, APPROVAL_LIST).map((l) => `  ${mask(l)}`)].join('\n');
}

/** The repository root and the `source` folder inside it (real paths), or why it is refused. */
async function sourceDirectory(
  ctx: StepContext<TerraformParams>,
  workspaces: Workspaces,
): Promise<{ ok: true; root: string; relative: string } | { ok: false; message: string }> {
  const checkout = await workspaces({
    id: ctx.deployment.id,
    commitSha: ctx.deployment.commitSha,
    pipelineSlug: ctx.target.pipelineSlug,
  });
  const root = await realWorkspacePath(
    checkout,
    checkout,
    'directory',
    `the checkout of ${ctx.deployment.commitSha}`,
  );
  if (!root.ok) return root;
  const lexical = workspacePath(root.path, root.path, ctx.params.source, 'source');
  if (!lexical.ok) return lexical;
  const source = await realWorkspacePath(
    root.path,
    lexical.path,
    'directory',
    `source ${JSON.stringify(ctx.params.source)}`,
  );
  if (!source.ok) return source;
  return { ok: true, root: root.path, relative: relative(root.path, source.path) };
}

function terraformEnvironment(
  ctx: StepContext<TerraformParams>,
  options: TerraformExecutorOptions,
  dir: AttemptDirectory,
  credentials: StageCredentials,
  endpointUrl: string | undefined,
): Record<string, string> {
  return commandEnvironment({
    base: options.baseEnv ?? defaultBaseEnvironment(),
    env: {
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_DATA_DIR: dir.data,
      // No calls home to HashiCorp's version check from the control plane.
      CHECKPOINT_DISABLE: '1',
      ...(options.pluginCacheDir === undefined
        ? {}
        : { TF_PLUGIN_CACHE_DIR: options.pluginCacheDir }),
    },
    home: dir.home,
    credentials,
    region: ctx.target.region,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    deployment: ctx.deployment,
    pipelineSlug: ctx.target.pipelineSlug,
    stage: ctx.target.stage,
  });
}

/** S3 in the CI/CD account's region with the stage's credentials (the state bucket admits them). */
function stateClient(call: Call) {
  const c = call.credentials;
  return call.options.sdk.s3({
    region: call.state.region,
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
    },
  });
}

function failed(code: string, message: string): { kind: 'failed'; outcome: FailedOutcome } {
  return { kind: 'failed', outcome: { kind: 'failed', code, message } };
}
