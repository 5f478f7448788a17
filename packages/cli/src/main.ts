/** The `rampart` command: dispatches to lazily loaded commands so start-up stays fast. */
import { readFileSync } from 'node:fs';
import { EXIT, processIo, type CliIo } from './cli-io.js';
import { UsageError } from './usage-error.js';

interface CommandModule {
  help: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/** The loader of a manual operation command (all live in commands/operations.ts). */
const operation = (name: string) => () =>
  import('./commands/operations.js').then((m) => m.operationCommand(name));

const commands: Record<string, CommandEntry> = {
  validate: {
    summary: 'Check pipeline files offline',
    load: () => import('./commands/validate.js'),
  },
  plan: { summary: 'Show what each stage would do', load: () => import('./commands/plan.js') },
  schema: {
    summary: 'Print the JSON Schema of pipeline files',
    load: () => import('./commands/schema.js'),
  },
  init: { summary: 'Write a commented starter pipeline', load: () => import('./commands/init.js') },
  sandbox: {
    summary: 'Run the multi-account AWS emulator',
    load: () => import('./commands/sandbox.js'),
  },
  server: { summary: 'Run the server (OIDC issuer)', load: () => import('./commands/server.js') },
  oidc: { summary: 'Show, rotate, publish OIDC keys', load: () => import('./commands/oidc.js') },
  bootstrap: {
    summary: 'Prepare AWS accounts: OIDC provider, state, stage roles',
    load: () => import('./commands/bootstrap.js'),
  },
  exec: { summary: 'Run a command as a stage role', load: () => import('./commands/exec.js') },
  demo: {
    summary: 'See it all on this machine: deploy, alarm, rollback',
    load: () => import('./commands/demo.js'),
  },
  mirror: {
    summary: 'Copy an image between registries',
    load: () => import('./commands/mirror.js'),
  },
  release: { summary: 'Start a deployment', load: () => import('./commands/release.js') },
  status: {
    summary: "A pipeline's stages, or one deployment (--watch)",
    load: () => import('./commands/status.js'),
  },
  logs: {
    summary: 'Step logs of a deployment (--follow)',
    load: () => import('./commands/logs.js'),
  },
  approvals: {
    summary: 'Pending approvals; one in full (a Terraform plan)',
    load: () => import('./commands/approvals.js'),
  },
  approve: { summary: 'Approve a waiting step', load: operation('approve') },
  reject: { summary: 'Reject a waiting step', load: operation('reject') },
  cancel: { summary: 'Cancel a deployment', load: operation('cancel') },
  retry: { summary: 'Run a failed stage again', load: operation('retry') },
  rollback: { summary: 'Restore an earlier good revision', load: operation('rollback') },
  'roll-forward': {
    summary: 'Lift a rollback, deploy the newest',
    load: operation('roll-forward'),
  },
  stop: { summary: 'Block a stage', load: operation('stop') },
  resume: { summary: 'Unblock a stopped stage', load: operation('resume') },
  'override-window': {
    summary: 'Start a revision outside the window',
    load: operation('override-window'),
  },
  pipelines: {
    summary: 'List, register, remove pipelines',
    load: () => import('./commands/pipelines.js'),
  },
  tokens: {
    summary: 'Create, list, revoke API tokens',
    load: () => import('./commands/tokens.js'),
  },
  secrets: {
    summary: 'Set, list, delete secrets',
    load: () => import('./commands/secrets.js'),
  },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: rampart <command> [options]

Rampart deploys to many AWS accounts, one stage at a time, with short-lived
credentials only.

Commands:
${list}

Options:
  -h, --help     Show help (also: rampart <command> --help)
  -v, --version  Print the version

Docs: docs/format.md (pipeline files), docs/errors.md (error codes).
`;
}

/** Runs the CLI; returns the process exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
    if (first === undefined) io.stderr(mainHelp());
    else io.stdout(mainHelp());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '-v' || first === '--version' || first === 'version') {
    io.stdout(`rampart ${version()}\n`);
    return EXIT.ok;
  }
  const entry = commands[first];
  if (entry === undefined) {
    const { nearest } = await import('@rampart/core');
    const guess = nearest(first, Object.keys(commands));
    io.stderr(
      `rampart: unknown command "${first}"${guess === undefined ? '' : `; did you mean "${guess}"?`}\nRun \`rampart --help\` for the list of commands.\n`,
    );
    return EXIT.usage;
  }
  let module: CommandModule | undefined;
  try {
    module = await entry.load();
    return await module.run(rest, io);
  } catch (error) {
    return reportFailure(error, first, module, io);
  }
}

async function reportFailure(
  error: unknown,
  command: string,
  module: CommandModule | undefined,
  io: CliIo,
): Promise<number> {
  if (error instanceof UsageError) {
    io.stderr(`rampart ${command}: ${error.message}\n\n${module?.help ?? ''}`);
    return EXIT.usage;
  }
  const { isRampartError } = await import('@rampart/core');
  if (isRampartError(error)) {
    const where =
      error.location === undefined
        ? ''
        : `${error.location.file}:${error.location.line}:${error.location.column}: `;
    io.stderr(
      `${where}error ${error.code}: ${error.message}\n${error.hint === undefined ? '' : `  hint: ${error.hint}\n`}`,
    );
    return EXIT.failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(
    `error INTERNAL: ${message}\n  hint: This is a bug in Rampart; please report it with the command you ran.${io.env.RAMPART_DEBUG === undefined ? ' Set RAMPART_DEBUG=1 for a stack trace.' : ''}\n`,
  );
  if (io.env.RAMPART_DEBUG !== undefined && error instanceof Error && error.stack !== undefined)
    io.stderr(`${error.stack}\n`);
  return EXIT.failed;
}
