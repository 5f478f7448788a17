/** `rampart bootstrap`: prepares the accounts of the pipelines (OIDC provider, state, stage roles). */
import { resolve } from 'node:path';
import type { BootstrapEvent, BootstrapMode, StackDiff } from '@rampart/aws';
import { RampartError } from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadConfig } from '../config-file.js';
import { parseFlags } from '../parse-flags.js';
import { renderDiagnostic } from '../render/diagnostics.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart bootstrap [PATH] [options]

Prepares every AWS account the pipelines under PATH use, with CloudFormation:

  Rampart-Account             every account: the OIDC provider for issuer_url
  Rampart-<org>-Org           CI/CD account: KMS key, Terraform state bucket
  Rampart-<pipeline>-Pipeline CI/CD account: artifact repositories and buckets
  Rampart-<pipeline>-<stage>-Stage
                              each stage's account and region: the stage role
                              (least privilege) and its artifact mirrors; with
                              public_url, EventBridge pushing the stage's
                              rollback alarms to the server

It runs with your AWS credentials (the default chain: AWS_PROFILE, environment,
SSO). Your own account is used directly; any other through
OrganizationAccountAccessRole, then AWSControlTowerExecution. Organization and
issuer_url come from the config file. Re-running is safe: unchanged stacks are
left alone and a run after a failure finishes the job.

Arguments:
  PATH                          Repository root or pipeline file (default: .)

Options:
  --pipeline-slugs a,b          Only these pipelines' stacks (the org stack
                                always lists every pipeline's roles)
  --target-account-role-name N  Reach other accounts only through role N
  --dry-run                     Show per stack CREATE / UPDATE / NO CHANGE, the
                                changed resources and every role's actions
                                (+ added, - removed); change nothing
  --check                       Report per stack: missing, out of date or up to
                                date; exit 1 unless everything is up to date.
                                With public_url, also warn when its /healthz
                                does not answer from here
  --concurrency N               Accounts worked on at once (default 10)
  --yes                         Do not ask for confirmation (the only mode for
                                now: bootstrap never asks)
  --verbose                     Print every stack status change
  --config FILE                 Control-plane config (default
                                ./rampart.config.yaml or $RAMPART_CONFIG)
  -h, --help                    Show this help

Exit status: 0 done (or up to date), 1 failed (or not up to date), 2 usage.
See docs/bootstrap.md.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    'bootstrap',
    argv,
    {
      'pipeline-slugs': { type: 'string' },
      'target-account-role-name': { type: 'string' },
      'dry-run': { type: 'boolean' },
      check: { type: 'boolean' },
      concurrency: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      verbose: { type: 'boolean' },
      config: { type: 'string' },
    },
    1,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  if (values['dry-run'] === true && values.check === true) {
    throw new UsageError('--dry-run and --check cannot be combined', 'bootstrap');
  }
  const concurrency = values.concurrency === undefined ? 10 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError(
      `--concurrency must be an integer from 1 to 64, not ${JSON.stringify(values.concurrency)}`,
      'bootstrap',
    );
  }
  const slugs =
    typeof values['pipeline-slugs'] === 'string'
      ? values['pipeline-slugs']
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : undefined;
  if (slugs?.length === 0) throw new UsageError('--pipeline-slugs names no pipeline', 'bootstrap');
  const mode: BootstrapMode =
    values['dry-run'] === true ? 'dry-run' : values.check === true ? 'check' : 'deploy';

  const { config } = loadConfig(io, values.config as string | undefined);
  const aws = await import('@rampart/aws');
  const settings = aws.bootstrapSettingsFrom(config);
  const root = resolve(io.cwd, positionals[0] ?? '.');
  const loaded = await aws.loadPipelines(root, settings);
  if (loaded.errors.length > 0) {
    const sources = new Map<string, string[] | null>();
    for (const d of loaded.errors) io.stderr(renderDiagnostic(d, { cwd: io.cwd }, sources));
    throw new RampartError(
      'USAGE',
      `${loaded.errors.length} error(s) in the pipeline files; bootstrap deploys only valid pipelines`,
      { source: 'user', hint: 'Fix them (`rampart validate`) and run bootstrap again.' },
    );
  }
  if (loaded.pipelines.length === 0) {
    throw new RampartError('USAGE', `no pipelines under ${root}`, {
      source: 'user',
      hint: 'Pass the repository root holding .rampart/<slug>/pipeline.yaml.',
    });
  }
  const endpointUrl = config.aws?.endpoint_url;
  const verbose = values.verbose === true;
  // A terminal gets one live line per stack; anything else gets plain lines as events happen.
  const live = io.isTty && mode === 'deploy' ? liveDisplay(io) : undefined;
  const outcome = await aws.runBootstrap({
    settings,
    pipelines: loaded.pipelines,
    ...(slugs === undefined ? {} : { slugs }),
    mode,
    sdk: new aws.AwsClientFactory(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(typeof values['target-account-role-name'] === 'string'
      ? { targetAccountRoleName: values['target-account-role-name'] }
      : {}),
    concurrency,
    emit: live === undefined ? (event) => printEvent(event, verbose, io) : live.update,
  });
  live?.finish();
  const summary =
    mode === 'check'
      ? outcome.ok
        ? 'every stack is up to date'
        : `${outcome.notUpToDate} stack(s) missing or out of date; run rampart bootstrap`
      : outcome.ok
        ? mode === 'dry-run'
          ? 'dry run: nothing was changed'
          : 'bootstrap complete'
        : `${outcome.failed} stack(s) failed`;
  if (outcome.ok) io.stdout(`${summary}\n`);
  else io.stderr(`${summary}\n`);
  return outcome.ok ? EXIT.ok : EXIT.failed;
}

function printEvent(event: BootstrapEvent, verbose: boolean, io: CliIo): void {
  const line = renderEvent(event, verbose);
  if (line === undefined) return;
  if (
    event.type === 'stack-failed' ||
    event.type === 'account-unreachable' ||
    (event.type === 'public-url-check' && !event.reachable)
  ) {
    io.stderr(line);
  } else io.stdout(line);
}

/**
 * A per-stack status board redrawn in place on a terminal. Failures are kept for the end, where
 * they are printed in full to stderr, after how each stage's alarms are watched.
 */
function liveDisplay(io: CliIo): { update: (event: BootstrapEvent) => void; finish: () => void } {
  const rows = new Map<string, string>();
  const failures: BootstrapEvent[] = [];
  const notes: BootstrapEvent[] = [];
  let drawn = 0;
  const draw = () => {
    const lines = [...rows.entries()].map(([key, status]) => `${key}  ${status}`);
    io.stdout(`${drawn > 0 ? `\x1b[${drawn}A\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return {
    update: (event) => {
      if (event.type === 'account-reached') return;
      if (event.type === 'alarm-watch' || event.type === 'public-url-check') {
        notes.push(event);
        return;
      }
      if (event.type === 'account-unreachable') {
        failures.push(event);
        rows.set(`account ${event.accountId}`, 'unreachable');
      } else {
        const key = where(event.stack);
        if (event.type === 'stack-failed') failures.push(event);
        const status = renderEvent(event, true)
          ?.slice(key.length + 2)
          .split('\n')[0];
        if (status !== undefined) rows.set(key, status);
      }
      draw();
    },
    finish: () => {
      for (const event of notes) printEvent(event, true, io);
      for (const event of failures) io.stderr(renderEvent(event, true) ?? '');
    },
  };
}

/** One event as plain text lines (what a non-terminal gets; a terminal gets the same for now). */
export function renderEvent(event: BootstrapEvent, verbose: boolean): string | undefined {
  switch (event.type) {
    case 'account-reached':
      return `account ${event.accountId}: reached (${event.via === 'caller' ? 'your credentials' : `role ${event.via}`})\n`;
    case 'account-unreachable':
      return `account ${event.accountId}: ${event.message}\n`;
    case 'stack-waiting':
      return `${where(event.stack)}: waiting for ${event.status} to finish\n`;
    case 'stack-deleting':
      return `${where(event.stack)}: deleting the ${event.status} stack to recreate it\n`;
    case 'stack-deploying':
      return `${where(event.stack)}: ${event.change === 'create' ? 'creating' : 'updating'}\n`;
    case 'stack-progress':
      return verbose ? `${where(event.stack)}: ${event.status}\n` : undefined;
    case 'stack-done':
      return `${where(event.stack)}: ${event.result === 'no-change' ? 'no changes' : event.result}\n`;
    case 'stack-failed':
      return `${where(event.stack)}: FAILED: ${event.message}\n`;
    case 'stack-skipped':
      return `${where(event.stack)}: skipped: ${event.reason}\n`;
    case 'stack-diff':
      return `${where(event.stack)}: ${event.change}\n${renderDiff(event.diff)}`;
    case 'stack-check':
      return `${where(event.stack)}: ${event.state.replace(/-/g, ' ')}${event.reasons.map((r) => `\n    ${r}`).join('')}\n`;
    case 'alarm-watch': {
      const { watch } = event;
      const alarms = watch.alarms.join(', ');
      if (watch.via === 'push') {
        return `${where(event.stack)}: alarms pushed by EventBridge to ${watch.endpoint}: ${alarms}\n`;
      }
      const why =
        watch.reason === 'public-url-not-set'
          ? 'public_url is not set'
          : 'too many alarms for one EventBridge rule';
      return `${where(event.stack)}: alarms polled (${why}): ${alarms}\n`;
    }
    case 'public-url-check':
      return event.reachable
        ? `public_url: ${event.url} ${event.detail}\n`
        : `warning: ${event.url} does not answer from here (${event.detail}); if AWS cannot reach it either, alarm pushes fail and alarms are only polled\n`;
    default: {
      const never: never = event;
      return never;
    }
  }
}

function where(stack: { stackName: string; accountId: string; region: string }): string {
  return `${stack.accountId} ${stack.region} ${stack.stackName}`;
}

function renderDiff(diff: StackDiff): string {
  let out = '';
  const sign = { add: '+', remove: '-', modify: '~' } as const;
  for (const r of diff.resources) out += `  ${sign[r.change]} ${r.logicalId} (${r.type})\n`;
  for (const role of diff.roles) {
    out += `  role ${role.roleName}:\n`;
    const added = new Set(role.added);
    for (const action of role.actions) out += `    ${added.has(action) ? '+' : ' '} ${action}\n`;
    for (const action of role.removed) out += `    - ${action}\n`;
  }
  return out;
}
