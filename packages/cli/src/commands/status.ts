/**
 * `rampart status`: a pipeline's overview, or one deployment in detail; `--watch` follows the
 * event stream and shows each change.
 */
import {
  apiPaths,
  engineEventSchema,
  SSE_EVENTS,
  type DeploymentDetail,
  type EngineEventInfo,
  type PipelineStatusResponse,
} from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  choosePipeline,
  CLIENT_FLAGS_HELP,
  connect,
  interruptSignal,
  parseClientFlags,
  revisionFlag,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import type { RampartClient } from '../client/rampart-client.js';
import { parseMessageData, sseBatches } from '../client/sse-stream.js';
import { renderDeploymentDetail } from '../render/deployment-detail.js';
import { renderEventLine } from '../render/engine-event-line.js';
import { renderPipelineStatus } from '../render/pipeline-status.js';
import { clockTime } from '../render/time-text.js';

export const help = `Usage: rampart status [--pipeline SLUG] [--revision N] [--watch] [--json]

Shows a pipeline as it stands: each stage in order with the revision in it
and its status (bake time left, window, blockers, queued revisions), the last
good revision and the rollback alarms; then the approvals waiting for a
person (with the command that gives them), recent deployments and rollbacks.
With --revision, one deployment in detail: every stage and step.

Options:
  --pipeline SLUG     The pipeline (may be left out when only one is registered)
  --revision N        Show deployment N in detail
  --watch             Keep showing changes until Ctrl-C: on a terminal the view
                      is redrawn on every event; otherwise one line is printed
                      per event (with --json: one JSON document per change)
${CLIENT_FLAGS_HELP}

A dropped connection is resumed where it stopped (Last-Event-ID).
`;

type Snapshot =
  | { kind: 'pipeline'; status: PipelineStatusResponse; details: Map<number, DeploymentDetail> }
  | { kind: 'deployment'; detail: DeploymentDetail };

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // Only a watch outlives a request: a one-shot status keeps Ctrl-C's default (stop at once).
  if (!argv.includes('--watch')) return runStatus(argv, io, new AbortController().signal);
  const interrupt = interruptSignal();
  try {
    return await runStatus(argv, io, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

/** `run` with the stop signal passed in (Ctrl-C in `run`; tests abort it themselves). */
export async function runStatus(
  argv: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { values, json } = parseClientFlags('status', argv, {
    pipeline: { type: 'string' },
    revision: { type: 'string' },
    watch: { type: 'boolean' },
  });
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const revision = revisionFlag('status', values, 'revision');
  return withJsonErrors(json, io, async () => {
    const client = connect(io, values);
    const slug = await choosePipeline('status', client, stringFlag(values, 'pipeline'));
    const read = () => snapshot(client, slug, revision);
    const show = (s: Snapshot, compact: boolean) =>
      json ? `${JSON.stringify(jsonOf(s), null, compact ? undefined : 2)}\n` : textOf(s);
    if (values.watch !== true) {
      io.stdout(show(await read(), false));
      return EXIT.ok;
    }

    const path =
      revision === undefined
        ? apiPaths.pipelineEvents(slug)
        : apiPaths.deploymentEvents(slug, revision);
    // Start at the newest event: what happened before is in the first view already.
    const after = await client.latestEventSeq(path);
    const redraw = !json && io.isTty;
    const draw = (s: Snapshot) =>
      io.stdout(
        redraw
          ? `\x1b[H\x1b[2J${show(s, true)}\nwatching; updated ${clockTime(new Date().toISOString())} (Ctrl-C to stop)\n`
          : show(s, true),
      );
    draw(await read());
    for await (const batch of sseBatches(client, path, {
      lastEventId: String(after),
      signal,
      onReconnect: (attempt) =>
        io.stderr(`connection to ${client.target.url} lost; reconnecting (attempt ${attempt})\n`),
    })) {
      const events: EngineEventInfo[] = batch
        .filter((m) => m.event === SSE_EVENTS.engineEvent)
        .map((m) => parseMessageData(engineEventSchema, m, client.target.url));
      if (events.length === 0) continue;
      if (json || redraw) draw(await read());
      else for (const event of events) io.stdout(renderEventLine(event));
    }
    return EXIT.ok;
  });
}

async function snapshot(
  client: RampartClient,
  slug: string,
  revision: number | undefined,
): Promise<Snapshot> {
  if (revision !== undefined)
    return { kind: 'deployment', detail: await client.deployment(slug, revision) };
  const status = await client.pipelineStatus(slug);
  // The stage status of each revision in a stage is in that deployment's detail; the newest
  // deployment's plan names the account and region of stages no revision reached yet.
  const revisions = [
    ...new Set([
      ...status.stages.flatMap((s) => s.occupant?.revision ?? []),
      ...status.deployments.slice(0, 1).map((d) => d.revision),
      // Which artifacts a building revision builds is in its detail too.
      ...status.deployments.filter((d) => d.status === 'building').map((d) => d.revision),
    ]),
  ];
  const details = new Map<number, DeploymentDetail>();
  for (const detail of await Promise.all(revisions.map((r) => client.deployment(slug, r))))
    details.set(detail.revision, detail);
  return { kind: 'pipeline', status, details };
}

function jsonOf(s: Snapshot): unknown {
  return s.kind === 'pipeline' ? s.status : { deployment: s.detail };
}

function textOf(s: Snapshot): string {
  return s.kind === 'pipeline'
    ? renderPipelineStatus(s.status, s.details, Date.now())
    : renderDeploymentDetail(s.detail, Date.now());
}
