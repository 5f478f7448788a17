/** `rampart pipelines list|add|remove`: the pipelines registered with the server. */
import { isAbsolute, resolve } from 'node:path';
import type { PipelineInfo } from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  CLIENT_FLAGS_HELP,
  connect,
  parseClientFlags,
  requiredFlag,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import { textTable } from '../render/text-table.js';
import { dateTime } from '../render/time-text.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart pipelines list [--json]
       rampart pipelines add --slug SLUG (--path DIR | --git URL) [--default-branch B] [--json]
       rampart pipelines remove SLUG [--json]

Manages the pipelines the server deploys. A pipeline is a slug (its folder,
.rampart/<slug>/ or .devramps/<slug>/) and the repository holding it.

Subcommands:
  list                List the registered pipelines
  add                 Register a pipeline (admin token)
  remove SLUG         Forget a pipeline; its deployments, events and logs stay
                      (admin token)

Options of add:
  --slug SLUG         The pipeline's folder name
  --path DIR          A git repository on the server's machine (a relative path
                      is taken from the current directory)
  --git URL           A repository URL git clone accepts without a prompt
  --default-branch B  The branch released by default (default main)
${CLIENT_FLAGS_HELP}
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    if (sub === undefined)
      throw new UsageError('name a subcommand: list, add or remove', 'pipelines');
    io.stdout(help);
    return EXIT.ok;
  }
  const { values, positionals, json } = parseClientFlags(
    'pipelines',
    rest,
    sub === 'add'
      ? {
          slug: { type: 'string' },
          path: { type: 'string' },
          git: { type: 'string' },
          'default-branch': { type: 'string' },
        }
      : {},
    sub === 'remove' ? 1 : 0,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  switch (sub) {
    case 'list':
      return withJsonErrors(json, io, async () => {
        const pipelines = await connect(io, values).listPipelines();
        io.stdout(json ? `${JSON.stringify({ pipelines }, null, 2)}\n` : listText(pipelines));
        return EXIT.ok;
      });
    case 'add': {
      const slug = requiredFlag('pipelines', values, 'slug', 'SLUG');
      const path = stringFlag(values, 'path');
      const git = stringFlag(values, 'git');
      if ((path === undefined) === (git === undefined))
        throw new UsageError(
          'give the repository with one of --path DIR and --git URL',
          'pipelines',
        );
      const branch = stringFlag(values, 'default-branch');
      return withJsonErrors(json, io, async () => {
        const pipeline = await connect(io, values).registerPipeline({
          slug,
          source:
            path === undefined
              ? { kind: 'git', location: git ?? '' }
              : { kind: 'path', location: isAbsolute(path) ? path : resolve(io.cwd, path) },
          ...(branch === undefined ? {} : { defaultBranch: branch }),
        });
        io.stdout(
          json
            ? `${JSON.stringify({ pipeline }, null, 2)}\n`
            : `registered ${pipeline.slug} (${pipeline.source.kind} ${pipeline.source.location}, default branch ${pipeline.defaultBranch})\n` +
                `release it: rampart release --pipeline ${pipeline.slug}\n`,
        );
        return EXIT.ok;
      });
    }
    case 'remove': {
      const slug = positionals[0];
      if (slug === undefined)
        throw new UsageError('name the pipeline: pipelines remove SLUG', 'pipelines');
      return withJsonErrors(json, io, async () => {
        const removed = await connect(io, values).removePipeline(slug);
        io.stdout(
          json
            ? `${JSON.stringify(removed, null, 2)}\n`
            : `removed ${removed.slug} (its deployments, events and logs stay readable)\n`,
        );
        return EXIT.ok;
      });
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}": use list, add or remove`, 'pipelines');
  }
}

function listText(pipelines: readonly PipelineInfo[]): string {
  if (pipelines.length === 0)
    return 'No pipeline is registered: rampart pipelines add --slug SLUG --path DIR\n';
  return textTable([
    ['SLUG', 'SOURCE', 'DEFAULT BRANCH', 'REGISTERED'],
    ...pipelines.map((p) => [
      p.slug,
      `${p.source.kind} ${p.source.location}`,
      p.defaultBranch,
      dateTime(p.createdAt),
    ]),
  ]);
}
