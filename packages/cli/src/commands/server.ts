/** `rampart server`: runs the control plane's HTTP server (for now: the OIDC issuer endpoints). */
import { isRampartError } from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadConfig } from '../config-file.js';
import { parseFlags } from '../parse-flags.js';
import { untilSignal } from '../until-signal.js';

export const help = `Usage: rampart server [--config FILE] [--listen HOST:PORT]

Starts the Rampart server. It serves the OIDC issuer documents AWS reads to
verify Rampart's tokens:

  <issuer_url>/.well-known/openid-configuration
  <issuer_url>/.well-known/jwks.json
  /healthz

On the first start it creates the signing key in data_dir (and, when no
master_key or master_key_file is configured, a master key in
data_dir/master.key: back it up). Without issuer_url the issuer is the
server's own address, which only the sandbox accepts.

Options:
  --listen HOST:PORT  Address to listen on (default: listen from the config,
                      else 127.0.0.1:8080; port 0 picks a free one)
  --config FILE       Control-plane config (default ./rampart.config.yaml or
                      $RAMPART_CONFIG)
  -h, --help          Show this help

It runs until interrupted (Ctrl-C or SIGTERM).
`;

export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runServer(argv, io, untilSignal);
}

/** `run` with the stop condition passed in, so tests can stop the server without signals. */
export async function runServer(
  argv: readonly string[],
  io: CliIo,
  untilStopped: () => Promise<unknown>,
): Promise<number> {
  const { values } = parseFlags(
    'server',
    argv,
    { config: { type: 'string' }, listen: { type: 'string' } },
    0,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const { config } = loadConfig(io, values.config as string | undefined);
  const { startServer } = await import('@rampart/server');
  const server = await startServer({
    config,
    baseDir: io.cwd,
    ...(typeof values.listen === 'string' ? { listen: values.listen } : {}),
    onMasterKeyGenerated: (file) =>
      io.stderr(
        `generated a master key in ${file}: back it up; the signing keys cannot be read without it\n`,
      ),
    onError: (error) =>
      io.stderr(
        isRampartError(error)
          ? `error ${error.code}: ${error.message}\n`
          : `error INTERNAL: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  });
  const issuer = server.issuer.issuerUrl;
  io.stdout(`Rampart server listening on ${server.url}\n`);
  if (server.firstAdminToken !== undefined) {
    // Shown once: only its hash is stored. Without it nobody could create the other tokens.
    io.stderr(
      `created the first admin API token "${server.firstAdminToken.name}" (shown only now; keep it safe):\n` +
        `  ${server.firstAdminToken.secret}\n` +
        'use it as RAMPART_TOKEN, or set admin_token in the config to choose your own\n',
    );
  }
  io.stdout(
    config.issuer_url === undefined
      ? `issuer: ${issuer} (issuer_url is not set: only the sandbox accepts this issuer; AWS needs https://)\n`
      : `issuer: ${issuer}\n`,
  );
  await untilStopped();
  await server.stop();
  io.stdout('stopped\n');
  return EXIT.ok;
}
