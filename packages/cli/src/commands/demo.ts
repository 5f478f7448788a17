/** `rampart demo`: the whole flow on this machine — sandbox, server, bootstrap, deploy, rollback. */
import { EXIT, type CliIo } from '../cli-io.js';
import { parseFlags } from '../parse-flags.js';
import { untilSignal } from '../until-signal.js';
import { UsageError } from '../usage-error.js';
import { DemoRenderer, renderExplore, renderSummary } from './demo-render.js';

export const help = `Usage: rampart demo [--exit] [--port N] [--speed N] [--json]

Shows Rampart end to end on this machine, with nothing but Node and git (no
Docker, no AWS account):

  1. starts the AWS sandbox (an emulated organization, IAM enforced) and a
     Rampart server (SQLite in a temporary directory);
  2. bootstraps the organization and creates an ECS service in each stage:
     staging (us-east-1), prod-us (us-east-1) and prod-eu (eu-west-1), the
     production ones with a rollback alarm on the service's 5xx errors;
  3. registers the bundled example repository and deploys revision 1
     through every stage (smoke test, ECS deploy, 10-minute bake);
  4. deploys revision 2, whose image the sandbox answers 5xx for: it passes
     staging (no alarm there), trips the alarm during prod-us's bake, is
     rolled back there, and never reaches prod-eu.

Demo time runs fast (--speed), so the bakes take seconds and the whole story
about a minute. Then the server keeps running for you to explore, until
Ctrl-C.

Options:
  --exit      Run the scenario, print which expected outcomes happened and
              exit: 0 only when every one did
  --port N    Port of the server on 127.0.0.1 (default 8080; 0 picks a free one)
  --speed N   Demo minutes per real minute, 1 to 600 (default 60: one real
              second is one demo minute)
  --json      Print the outcome as one JSON object on stdout (progress goes
              to stderr)
  -h, --help  Show this help

See docs/demo.md.
`;

export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runDemoCommand(argv, io, untilSignal);
}

/**
 * `run` with the stop condition passed in, so tests can stop the demo without signals. It is
 * watched from the start: stopping during the scenario ends the demo early.
 */
export async function runDemoCommand(
  argv: readonly string[],
  io: CliIo,
  untilStopped: () => Promise<unknown>,
): Promise<number> {
  const { values } = parseFlags(
    'demo',
    argv,
    {
      exit: { type: 'boolean' },
      port: { type: 'string' },
      speed: { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  // Checked before the demo's libraries load (they take a moment): the bounds of the help text.
  const port = numberFlag(
    values.port,
    'port',
    8080,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    'an integer from 0 to 65535',
  );
  const speed = numberFlag(
    values.speed,
    'speed',
    60,
    (n) => n >= 1 && n <= 600,
    'a number from 1 to 600',
  );
  // The AWS SDK warns on Node 20 about its releases of 2027; the demo talks to its sandbox only.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { runDemo } = await import('@rampart/demo');
  const exit = values.exit === true;
  const json = values.json === true;
  const progress = (text: string): void => (json ? io.stderr(text) : io.stdout(text));

  const interrupt = new AbortController();
  void untilStopped().then(() => interrupt.abort());
  const renderer = new DemoRenderer(speed);
  progress(
    `rampart demo: demo time runs ${speed}x (${speed === 60 ? 'one real second is one demo minute' : `${speed} demo seconds per real second`})\n`,
  );
  let demo;
  try {
    demo = await runDemo({
      port,
      speed,
      exit,
      signal: interrupt.signal,
      onEvent: (event) => {
        const line = renderer.line(event);
        if (line !== undefined) progress(line);
      },
    });
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    io.stderr('interrupted: the demo stopped its server and sandbox\n');
    return EXIT.failed;
  }
  const { outcome } = demo;
  const running = !exit && !interrupt.signal.aborted;
  if (json) {
    io.stdout(
      `${JSON.stringify({
        ok: outcome.ok,
        speed: outcome.speed,
        elapsedMs: outcome.elapsedMs,
        demoMinutes: outcome.demoMinutes,
        checks: outcome.checks,
        ...(running
          ? {
              server: {
                url: demo.serverUrl,
                adminToken: demo.adminToken,
                configFile: demo.configFile,
              },
              sandbox: { endpoint: demo.sandboxEndpoint },
            }
          : {}),
      })}\n`,
    );
  } else {
    io.stdout(renderSummary(demo));
  }
  if (running) {
    if (!json) io.stdout(renderExplore(demo));
    await new Promise<void>((resolve) => {
      if (interrupt.signal.aborted) resolve();
      else interrupt.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await demo.stop();
    progress('stopped the demo server and sandbox\n');
  }
  return outcome.ok ? EXIT.ok : EXIT.failed;
}

function numberFlag(
  value: unknown,
  flag: string,
  fallback: number,
  valid: (n: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || !valid(n)) {
    throw new UsageError(`--${flag} must be ${expected}, not ${JSON.stringify(value)}`, 'demo');
  }
  return n;
}
