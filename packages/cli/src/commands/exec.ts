/** `rampart exec`: runs a command with exactly the AWS credentials a step of one stage gets. */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { RampartError } from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadConfig } from '../config-file.js';
import { parseFlags } from '../parse-flags.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart exec --pipeline SLUG --stage NAME [--config FILE] [PATH] -- COMMAND [ARG...]

Runs COMMAND with the credentials a step of that stage gets: Rampart mints the
stage's OIDC token and exchanges it with STS AssumeRoleWithWebIdentity for the
stage role (no role chaining). Use it to debug what a stage role may do.

The command sees AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_REGION and AWS_DEFAULT_REGION (the stage's region), and AWS_ENDPOINT_URL
when aws.endpoint_url is configured. Every other inherited AWS_* variable is
removed, so no profile or other credentials leak in. The session is named
rampart-exec.

Arguments:
  PATH                Repository root or pipeline file (default: .)

Options:
  --pipeline SLUG     The pipeline (its folder name under .rampart/ or .devramps/)
  --stage NAME        The stage, or ephemeral-<name> for an ephemeral environment
  --config FILE       Control-plane config (default ./rampart.config.yaml or
                      $RAMPART_CONFIG); needs organization and issuer_url, and
                      the signing keys in data_dir
  -h, --help          Show this help

Exit status: the command's own; 128+N when it was killed by signal N; 1 when
credentials could not be obtained; 2 for usage errors. SIGINT, SIGTERM and
SIGHUP are forwarded to the command.

Example:
  rampart exec --pipeline web --stage staging -- aws sts get-caller-identity
`;

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  const { values, positionals } = parseFlags(
    'exec',
    own,
    { pipeline: { type: 'string' }, stage: { type: 'string' }, config: { type: 'string' } },
    1,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  if (typeof values.pipeline !== 'string') throw new UsageError('--pipeline is required', 'exec');
  if (typeof values.stage !== 'string') throw new UsageError('--stage is required', 'exec');
  const [program, ...args] = command;
  if (program === undefined) {
    throw new UsageError('give the command to run after --', 'exec');
  }
  const { config } = loadConfig(io, values.config as string | undefined);
  const aws = await import('@rampart/aws');
  const { issuerFromConfig } = await import('@rampart/identity');
  const settings = aws.bootstrapSettingsFrom(config);
  const loaded = await aws.loadPipelines(resolve(io.cwd, positionals[0] ?? '.'), settings);
  const pipeline = loaded.pipelines.find((p) => p.model.slug === values.pipeline);
  if (pipeline === undefined) {
    const invalid =
      loaded.errors.length > 0 ? ' (some pipelines are invalid: run rampart validate)' : '';
    throw new RampartError(
      'USAGE',
      `no valid pipeline "${values.pipeline}" under ${positionals[0] ?? '.'}${invalid}; found: ${loaded.pipelines.map((p) => p.model.slug).join(', ') || 'none'}`,
      {
        source: 'user',
        hint: 'Pass the pipeline folder name with --pipeline, and the repository as PATH.',
      },
    );
  }
  const endpointUrl = config.aws?.endpoint_url;
  const broker = aws.createCredentialBroker({
    org: settings.organization.slug,
    tokens: issuerFromConfig({ config, baseDir: io.cwd }),
    sdk: new aws.AwsClientFactory(endpointUrl === undefined ? {} : { endpointUrl }),
  });
  const stage = await broker.credentialsFor({ pipeline: pipeline.model, stage: values.stage });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(io.env)) {
    if (value !== undefined && !key.startsWith('AWS_')) env[key] = value;
  }
  Object.assign(env, aws.stageEnvironment(stage, endpointUrl));
  return runChild(program, args, env, io.cwd);
}

/** Runs the command with inherited stdio; resolves with its exit status. */
function runChild(
  program: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(program, args, { stdio: 'inherit', env, cwd });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const cleanup = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(
        new RampartError('USAGE', `cannot run "${program}": ${error.code ?? error.message}`, {
          source: 'user',
          hint: 'Check the command name and that it is on PATH.',
        }),
      );
    });
    child.once('exit', (code, signal) => {
      cleanup();
      if (signal !== null) resolveExit(128 + (constants.signals[signal] ?? 0));
      else resolveExit(code ?? EXIT.failed);
    });
  });
}
