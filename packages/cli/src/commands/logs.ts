/** `rampart logs`: the lines a deployment's steps wrote; `--follow` streams them until it ends. */
import {
  apiPaths,
  logLineSchema,
  SSE_EVENTS,
  streamEndSchema,
  type LogLineInfo,
  type LogQuery,
} from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  choosePipeline,
  CONNECTION_FLAGS_HELP,
  connect,
  interruptSignal,
  parseClientFlags,
  revisionFlag,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import { withQuery } from '../client/rampart-client.js';
import { parseMessageData, sseBatches } from '../client/sse-stream.js';
import { renderLogLine } from '../render/log-line.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart logs [--pipeline SLUG] --revision N [--stage S] [--step S | --build A]
                    [--follow] [--json]

Prints what the steps of deployment N wrote (and Rampart's own notes), oldest
first, as "stage/step | text"; "!" marks stderr and "*" Rampart's notes. Artifact
builds write as "(build)/build:<artifact>" (per_stage ones under their stage).

Options:
  --pipeline SLUG     The pipeline (may be left out when only one is registered)
  --revision N        The deployment (required)
  --stage S           Only this stage
  --step S            Only this step (needs --stage)
  --build A           Only the build of artifact A (its display name); with
                      --stage, only that stage's build of a per_stage artifact
  --follow            Keep printing new lines until the deployment ends; the
                      exit code is then 0 only when it succeeded
  --json              One JSON log line per line (newline-delimited JSON)
${CONNECTION_FLAGS_HELP}

A dropped connection is resumed where it stopped (Last-Event-ID).
`;

/** Lines per page when not following (the API's most). */
const PAGE = 5000;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  if (!argv.includes('--follow')) return runLogs(argv, io, new AbortController().signal);
  const interrupt = interruptSignal();
  try {
    return await runLogs(argv, io, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

/** `run` with the stop signal passed in (Ctrl-C in `run`; tests abort it themselves). */
export async function runLogs(
  argv: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { values, json } = parseClientFlags('logs', argv, {
    pipeline: { type: 'string' },
    revision: { type: 'string' },
    stage: { type: 'string' },
    step: { type: 'string' },
    build: { type: 'string' },
    follow: { type: 'boolean' },
  });
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const revision = revisionFlag('logs', values, 'revision');
  if (revision === undefined) throw new UsageError('--revision N is required', 'logs');
  const stage = stringFlag(values, 'stage');
  const step = stringFlag(values, 'step');
  const build = stringFlag(values, 'build');
  if (step !== undefined && build !== undefined)
    throw new UsageError('--step and --build exclude each other', 'logs');
  if (step !== undefined && stage === undefined)
    throw new UsageError('--step needs --stage (step names repeat in every stage)', 'logs');
  const filter: LogQuery = {
    ...(stage === undefined ? {} : { stage }),
    ...(step === undefined ? {} : { step }),
    ...(build === undefined ? {} : { build }),
  };
  const print = (line: LogLineInfo) =>
    io.stdout(json ? `${JSON.stringify(line)}\n` : renderLogLine(line));

  return withJsonErrors(json, io, async () => {
    const client = connect(io, values);
    const slug = await choosePipeline('logs', client, stringFlag(values, 'pipeline'));
    if (values.follow !== true) {
      let after = 0;
      for (;;) {
        const page = await client.logs(slug, revision, { ...filter, after, limit: PAGE });
        page.lines.forEach(print);
        if (page.lines.length < PAGE) break;
        after = page.next;
      }
      return EXIT.ok;
    }
    const path = withQuery(apiPaths.logs(slug, revision), filter);
    for await (const batch of sseBatches(client, path, {
      signal,
      onReconnect: (attempt) =>
        io.stderr(`connection to ${client.target.url} lost; reconnecting (attempt ${attempt})\n`),
    })) {
      for (const message of batch) {
        if (message.event === SSE_EVENTS.log) {
          print(parseMessageData(logLineSchema, message, client.target.url));
        } else if (message.event === SSE_EVENTS.end) {
          const { status } = parseMessageData(streamEndSchema, message, client.target.url);
          io.stderr(`${slug} #${revision} ${status.replace(/_/g, ' ')}\n`);
          return status === 'succeeded' ? EXIT.ok : EXIT.failed;
        }
      }
    }
    return EXIT.ok;
  });
}
