/** `rampart sandbox`: run the multi-account AWS emulator for local use, the demo and tests. */
import { EXIT, type CliIo } from '../cli-io.js';

export const help = `Usage: rampart sandbox [--port N] [--host H] [--json]

Starts the AWS sandbox: one HTTP endpoint that speaks the real AWS wire
protocols (STS, IAM, Organizations, …) for an emulated organization of a
management, a CI/CD and three workload accounts, with IAM enforced. Point
AWS SDKs, the AWS CLI or terraform at it with AWS_ENDPOINT_URL.

Options:
  --port N    Port to listen on (default 4566; 0 picks a free one)
  --host H    Address to bind (default 127.0.0.1)
  --json      Print one JSON line with the endpoint and account credentials
  -h, --help  Show this help

It runs until interrupted (Ctrl-C).
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(help);
    return EXIT.ok;
  }
  const { runSandboxCli } = await import('@rampart/aws-sandbox');
  return runSandboxCli([...argv], { stdout: (t) => io.stdout(t), stderr: (t) => io.stderr(t) });
}
