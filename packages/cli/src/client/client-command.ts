/**
 * What every command that calls the server shares: the connection flags, the refusal of a token
 * given as a flag, choosing the pipeline, number and reason flags, and `--json` error output.
 */
import { isRampartError, RampartError } from '@rampart/core';
import type { CliIo } from '../cli-io.js';
import { parseFlags, type FlagSpec, type ParsedFlags } from '../parse-flags.js';
import { UsageError } from '../usage-error.js';
import { ApiRequestError } from './api-request-error.js';
import { RampartClient } from './rampart-client.js';
import { resolveServerTarget } from './server-target.js';

/** The flags of every client command. */
export const CLIENT_FLAGS = {
  server: { type: 'string' },
  'token-file': { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

/** The help lines of the connection flags. */
export const CONNECTION_FLAGS_HELP = `  --server URL        The server (default $RAMPART_SERVER_URL, else http:// +
                      listen of the config, else http://127.0.0.1:8080)
  --token-file FILE   Read the API token from FILE when $RAMPART_TOKEN is
                      not set (without both: admin_token of the config);
                      a token itself is never accepted on the command line
  --config FILE       Control-plane config (default ./rampart.config.yaml or
                      $RAMPART_CONFIG)
  -h, --help          Show this help`;

/** The help lines of {@link CLIENT_FLAGS}. */
export const CLIENT_FLAGS_HELP = `  --json              Print JSON (for scripts) instead of text
${CONNECTION_FLAGS_HELP}`;

/** Flags that would put a token on the command line (and so in shell history). */
const TOKEN_FLAG = /^--?(?:api-)?token(?:=|$)/;

/** Parses a client command's flags; a token passed as a flag is a usage error that says why. */
export function parseClientFlags(
  command: string,
  argv: readonly string[],
  options: FlagSpec,
  maxPositionals = 0,
): ParsedFlags & { json: boolean } {
  const tokenFlag = argv.find((a) => TOKEN_FLAG.test(a));
  if (tokenFlag !== undefined) {
    throw new UsageError(
      `${tokenFlag.split('=')[0] ?? tokenFlag} is not accepted: a token on the command line lands in shell history and process lists; set RAMPART_TOKEN or pass --token-file FILE`,
      command,
    );
  }
  const parsed = parseFlags(command, argv, { ...CLIENT_FLAGS, ...options }, maxPositionals);
  return { ...parsed, json: parsed.values.json === true };
}

/** A client for the server the flags, the environment and the config name. */
export function connect(io: CliIo, values: ParsedFlags['values']): RampartClient {
  const target = resolveServerTarget(io, {
    ...(typeof values.server === 'string' ? { server: values.server } : {}),
    ...(typeof values['token-file'] === 'string' ? { tokenFile: values['token-file'] } : {}),
    ...(typeof values.config === 'string' ? { config: values.config } : {}),
  });
  return new RampartClient(target);
}

/** A string flag's value, if given. */
export function stringFlag(values: ParsedFlags['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A string flag that must be given. */
export function requiredFlag(
  command: string,
  values: ParsedFlags['values'],
  name: string,
  what: string,
): string {
  const value = stringFlag(values, name);
  if (value === undefined || value.trim() === '')
    throw new UsageError(`--${name} ${what} is required`, command);
  return value;
}

/** A revision number flag (a positive whole number), if given. */
export function revisionFlag(
  command: string,
  values: ParsedFlags['values'],
  name: string,
): number | undefined {
  const value = stringFlag(values, name);
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,14}$/.test(value.trim()))
    throw new UsageError(`--${name} must be a revision number (1, 2, …), not "${value}"`, command);
  return Number(value.trim());
}

/** `--reason TEXT`, required by every operation: it is recorded in the audit trail. */
export function reasonFlag(command: string, values: ParsedFlags['values']): string {
  const reason = stringFlag(values, 'reason');
  if (reason === undefined || reason.trim() === '') {
    throw new UsageError(
      '--reason TEXT is required: it is recorded in the audit trail with your token name',
      command,
    );
  }
  return reason.trim();
}

/**
 * The pipeline to act on: `--pipeline`, else the only registered one. None registered is an
 * error; several is a usage error listing them.
 */
export async function choosePipeline(
  command: string,
  client: RampartClient,
  flag: string | undefined,
): Promise<string> {
  if (flag !== undefined) return flag;
  const pipelines = await client.listPipelines();
  const [only, ...others] = pipelines;
  if (only === undefined) {
    throw new RampartError(
      'CLIENT_NO_PIPELINES',
      `no pipeline is registered with ${client.target.url}`,
      {
        hint: 'Register one: rampart pipelines add --slug SLUG --path DIR (or --git URL).',
      },
    );
  }
  if (others.length > 0) {
    throw new UsageError(
      `${pipelines.length} pipelines are registered (${pipelines.map((p) => p.slug).join(', ')}): name one with --pipeline SLUG`,
      command,
    );
  }
  return only.slug;
}

/**
 * Runs a command body; with `--json`, a failure is also printed as `{ "error": … }` on stdout so
 * scripts read it there (the text still goes to stderr).
 */
export async function withJsonErrors(
  json: boolean,
  io: CliIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (json && isRampartError(error))
      io.stdout(`${JSON.stringify({ error: errorJson(error) })}\n`);
    throw error;
  }
}

/** A RampartError as JSON: the CLI's code, and what the server said when it refused. */
export function errorJson(error: RampartError): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error instanceof ApiRequestError ? { status: error.status, api: error.api } : {}),
  };
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM): aborts the returned signal. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
