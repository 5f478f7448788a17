// `rampart sandbox [--port N] [--host H] [--json]`: start a sandbox, print how to reach it, run
// until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startSandbox, type Sandbox } from '../sandbox.js';

/** Where the CLI writes. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Options for tests: stop without a signal. */
export interface CliHooks {
  /** Resolves when the sandbox should stop. @default SIGINT or SIGTERM */
  until?: Promise<unknown>;
  /** Called once the sandbox is ready. @default nothing */
  onReady?: (sandbox: Sandbox) => void;
}

const USAGE = 'usage: rampart sandbox [--port N] [--host H] [--json]\n';

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const handler = (signal: string): void => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** Renders the ready message (one JSON line, or shell `export` lines per account). */
export function renderReady(sandbox: Sandbox, json: boolean): string {
  if (json) {
    return (
      JSON.stringify({
        endpoint: sandbox.endpoint,
        region: sandbox.region,
        accounts: sandbox.accounts.map((account) => ({
          id: account.id,
          name: account.name,
          role: account.role,
          credentials: account.credentials,
        })),
      }) + '\n'
    );
  }
  const lines = [`# AWS sandbox listening on ${sandbox.endpoint} (Ctrl-C to stop)`];
  for (const account of sandbox.accounts) {
    lines.push(
      '',
      `# account ${account.name} (${account.id}, ${account.role}) — user admin`,
      `export AWS_ENDPOINT_URL=${sandbox.endpoint} AWS_ACCESS_KEY_ID=${account.credentials.accessKeyId} ` +
        `AWS_SECRET_ACCESS_KEY=${account.credentials.secretAccessKey} AWS_REGION=${sandbox.region}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Runs the sandbox command; resolves with the exit code. */
export async function runSandboxCli(
  argv: string[],
  io: CliIo,
  hooks: CliHooks = {},
): Promise<number> {
  let values: { port?: string; host?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error: unknown) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 4566 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(
      `--port "${values.port ?? ''}" is not a port number (0-65535; 0 picks a free port)\n${USAGE}`,
    );
    return 2;
  }
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port,
      ...(values.host !== undefined ? { host: values.host } : {}),
    });
  } catch (error: unknown) {
    io.stderr(
      `could not start the sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  io.stdout(renderReady(sandbox, values.json === true));
  hooks.onReady?.(sandbox);
  await (hooks.until ?? waitForSignal());
  await sandbox.stop();
  return 0;
}
