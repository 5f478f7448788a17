/** `rampart release`: starts a deployment of a pipeline, and with `--wait` follows it to its end. */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { isRampartError } from '@rampart/core';
import type {
  DeploymentDetail,
  StartDeploymentRequest,
  StartDeploymentResponse,
} from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  choosePipeline,
  CLIENT_FLAGS_HELP,
  connect,
  parseClientFlags,
  revisionFlag,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import { followDeployment } from '../client/follow-deployment.js';
import type { RampartClient } from '../client/rampart-client.js';
import { approveCommand } from '../render/approval-lines.js';
import { shortSha } from '../render/deployment-detail.js';
import { renderEventLine } from '../render/engine-event-line.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart release [--pipeline SLUG] [--sha SHA | --branch BRANCH | --revision N]
                       [--reason TEXT] [--wait] [--json]

Starts a deployment (a new revision) of a registered pipeline. Without --sha,
--branch or --revision the pipeline's default branch is released. The server
checks the commit out, validates and plans the pipeline there, and runs it
stage by stage.

Options:
  --pipeline SLUG     The pipeline (may be left out when only one is registered)
  --sha SHA           Release this commit (full or abbreviated)
  --branch BRANCH     Release the head commit of this branch
  --revision N        Release the commit of revision N again, as a new revision
  --reason TEXT       Why: recorded in the audit trail
  --wait              Follow the deployment to its end, printing each event;
                      exit 0 only when it succeeded
${CLIENT_FLAGS_HELP}

A request that fails on the way is retried with the same request id, so it
never starts two deployments. Exit codes: 0 started (or, with --wait,
succeeded), 1 refused or (with --wait) did not succeed, 2 usage error.
`;

/** Knobs for tests: how a release whose answer was lost is retried. */
export interface ReleaseTuning {
  /** Attempts of the start request when the server cannot be reached. @default 3 */
  attempts?: number;
  /** Pause between them. @default 1000 */
  retryDelayMs?: number;
  /** The idempotency key. @default a random UUID */
  requestId?: string;
}

export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runRelease(argv, io);
}

export async function runRelease(
  argv: readonly string[],
  io: CliIo,
  tuning: ReleaseTuning = {},
): Promise<number> {
  const { values, json } = parseClientFlags('release', argv, {
    pipeline: { type: 'string' },
    sha: { type: 'string' },
    branch: { type: 'string' },
    revision: { type: 'string' },
    reason: { type: 'string' },
    wait: { type: 'boolean' },
  });
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const sha = stringFlag(values, 'sha');
  const branch = stringFlag(values, 'branch');
  const revision = revisionFlag('release', values, 'revision');
  const named = [sha, branch, revision].filter((v) => v !== undefined).length;
  if (named > 1)
    throw new UsageError('name at most one of --sha, --branch and --revision', 'release');
  if (sha !== undefined && !/^[0-9a-f]{4,64}$/i.test(sha))
    throw new UsageError(`--sha must be a commit id (hex), not "${sha}"`, 'release');
  const reason = stringFlag(values, 'reason');
  const request: StartDeploymentRequest = {
    ...(sha === undefined ? {} : { sha }),
    ...(branch === undefined ? {} : { branch }),
    ...(revision === undefined ? {} : { revision }),
    ...(reason === undefined ? {} : { reason }),
    trigger: 'release',
    requestId: tuning.requestId ?? randomUUID(),
  };
  return withJsonErrors(json, io, async () => {
    const client = connect(io, values);
    const slug = await choosePipeline('release', client, stringFlag(values, 'pipeline'));
    const started = await startWithRetries(client, slug, request, io, tuning);
    const d = started.deployment;
    for (const w of started.warnings ?? [])
      io.stderr(`${w.file}:${w.line}:${w.column}: warning ${w.code}: ${w.message}\n`);
    if (values.wait !== true) {
      if (json) io.stdout(`${JSON.stringify(started, null, 2)}\n`);
      else
        io.stdout(
          `${started.created ? 'started' : 'already started'} ${slug} #${d.revision} (commit ${shortSha(d.commitSha)})\n` +
            `follow it: rampart status --pipeline ${slug} --revision ${d.revision} --watch\n`,
        );
      return EXIT.ok;
    }
    if (!json)
      io.stdout(
        `${started.created ? 'started' : 'already started'} ${slug} #${d.revision} (commit ${shortSha(d.commitSha)}); following it\n`,
      );
    const end = await followDeployment(client, slug, d.revision, {
      onEvent: (event) => {
        if (json) return;
        io.stdout(renderEventLine(event));
        if (
          event.type === 'approval.required' &&
          event.stage !== undefined &&
          event.step !== undefined
        )
          io.stdout(
            `    approve: ${approveCommand(slug, { revision: d.revision, stage: event.stage, step: event.step })}\n`,
          );
      },
    });
    if (end === undefined) return EXIT.failed;
    if (json) io.stdout(`${JSON.stringify({ ...started, deployment: end }, null, 2)}\n`);
    else io.stdout(finalLine(end));
    return end.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  });
}

/** The start request, repeated with the same request id while the server cannot be reached. */
async function startWithRetries(
  client: RampartClient,
  slug: string,
  request: StartDeploymentRequest,
  io: CliIo,
  tuning: ReleaseTuning,
): Promise<StartDeploymentResponse> {
  const attempts = tuning.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.startDeployment(slug, request);
    } catch (error) {
      if (
        !isRampartError(error) ||
        error.code !== 'CLIENT_SERVER_UNREACHABLE' ||
        attempt >= attempts
      )
        throw error;
      io.stderr(`${error.message}; trying again (the request id keeps it to one deployment)\n`);
      await delay(tuning.retryDelayMs ?? 1000);
    }
  }
}

function finalLine(d: DeploymentDetail): string {
  if (d.status === 'succeeded') return `${d.pipeline} #${d.revision} succeeded\n`;
  const stage = d.stages.find((s) => s.name === d.currentStage);
  const step = stage?.steps.find((s) => s.error !== undefined);
  const why =
    stage?.error ??
    (step?.error === undefined
      ? undefined
      : `${step.name}: ${step.error.code}: ${step.error.message}`);
  return `${d.pipeline} #${d.revision} ${d.status.replace(/_/g, ' ')}${stage === undefined ? '' : ` in ${stage.name}`}${why === undefined ? '' : `: ${why}`}\n`;
}
