/** `rampart secrets set|list|delete`: organization and stage secrets (values never on the command line). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RampartError } from '@rampart/core';
import type { SecretInfo } from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  CLIENT_FLAGS_HELP,
  connect,
  parseClientFlags,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import { textTable } from '../render/text-table.js';
import { dateTime } from '../render/time-text.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart secrets set NAME [--stage STAGE] [--description TEXT] [--from-file FILE] [--user-managed] [--json]
       rampart secrets list [--json]
       rampart secrets delete NAME [--stage STAGE] [--json]

Manages the secrets pipelines read with secret("NAME") (organization) and
stage_secret("NAME") (the stage of that name, in every pipeline). Setting and
deleting need an admin token; listing shows names, scopes, versions and dates,
never values.

Subcommands:
  set NAME            Create the secret, or replace its value (a new version).
                      The value is read from standard input, or from --from-file;
                      one trailing newline is dropped. A value is never a flag:
                      flags land in shell history and process lists
  list                List the secrets
  delete NAME         Delete the secret

Options:
  --stage STAGE       A stage secret (default: an organization secret)
  --description TEXT  What the secret is for (set; kept when omitted)
  --from-file FILE    Read the value from FILE instead of standard input
  --user-managed      Record the Secrets Manager secret rampart/organization/NAME
                      (or rampart/stage/STAGE/NAME) of the CI/CD account instead
                      of a value; Rampart reads it there when a step needs it
${CLIENT_FLAGS_HELP}
`;

/** Flags that would put a value on the command line. */
const VALUE_FLAG = /^--?(?:value|secret|secret-value)(?:=|$)/;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    if (sub === undefined)
      throw new UsageError('name a subcommand: set, list or delete', 'secrets');
    io.stdout(help);
    return EXIT.ok;
  }
  const valueFlag = rest.find((a) => VALUE_FLAG.test(a));
  if (valueFlag !== undefined) {
    throw new UsageError(
      `${valueFlag.split('=')[0] ?? valueFlag} is not accepted: a value on the command line lands in shell history and process lists; pipe it on standard input (printf %s "$VALUE" | rampart secrets set NAME) or pass --from-file FILE`,
      'secrets',
    );
  }
  const { values, positionals, json } = parseClientFlags(
    'secrets',
    rest,
    sub === 'set'
      ? {
          stage: { type: 'string' },
          description: { type: 'string' },
          'from-file': { type: 'string' },
          'user-managed': { type: 'boolean' },
        }
      : sub === 'delete'
        ? { stage: { type: 'string' } }
        : {},
    sub === 'list' ? 0 : 1,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const stage = stringFlag(values, 'stage');
  switch (sub) {
    case 'set': {
      const name = nameOf(positionals, 'set');
      const description = stringFlag(values, 'description');
      const userManaged = values['user-managed'] === true;
      const fromFile = stringFlag(values, 'from-file');
      if (userManaged && fromFile !== undefined)
        throw new UsageError('--user-managed takes no value: drop --from-file', 'secrets');
      return withJsonErrors(json, io, async () => {
        const value = userManaged ? undefined : await readValue(io, fromFile);
        const result = await connect(io, values).setSecret({
          name,
          ...(stage === undefined ? {} : { stage }),
          ...(description === undefined ? {} : { description }),
          ...(value === undefined ? { managed: 'user' as const } : { value }),
        });
        if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        else
          io.stdout(
            `${result.created ? 'created' : 'updated'} ${scopeText(result.secret)} secret ${name} (version ${result.secret.version}, ${result.secret.storage})\n`,
          );
        return EXIT.ok;
      });
    }
    case 'list':
      return withJsonErrors(json, io, async () => {
        const { secrets } = await connect(io, values).listSecrets();
        io.stdout(json ? `${JSON.stringify({ secrets }, null, 2)}\n` : listText(secrets));
        return EXIT.ok;
      });
    case 'delete': {
      const name = nameOf(positionals, 'delete');
      return withJsonErrors(json, io, async () => {
        const deleted = await connect(io, values).deleteSecret({
          name,
          ...(stage === undefined ? {} : { stage }),
        });
        io.stdout(
          json
            ? `${JSON.stringify(deleted, null, 2)}\n`
            : `deleted ${stage === undefined ? 'organization' : `stage ${stage}`} secret ${name}\n`,
        );
        return EXIT.ok;
      });
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}": use set, list or delete`, 'secrets');
  }
}

function nameOf(positionals: readonly string[], sub: string): string {
  const name = positionals[0];
  if (name === undefined) throw new UsageError(`name the secret: secrets ${sub} NAME`, 'secrets');
  return name;
}

/** The value from the file or standard input, less one trailing newline. */
async function readValue(io: CliIo, fromFile: string | undefined): Promise<string> {
  let bytes: Buffer;
  if (fromFile !== undefined) {
    try {
      bytes = await readFile(resolve(io.cwd, fromFile));
    } catch (error) {
      throw new RampartError('SECRET_VALUE_INVALID', `--from-file ${fromFile} cannot be read`, {
        hint: 'Name a readable file holding the value.',
        cause: error,
      });
    }
  } else {
    if (io.readStdin === undefined)
      throw new UsageError('no standard input here: pass --from-file FILE', 'secrets');
    try {
      bytes = await io.readStdin();
    } catch (error) {
      throw new UsageError(
        `the value is read from standard input, and ${error instanceof Error ? error.message : String(error)}: pipe it (printf %s "$VALUE" | rampart secrets set NAME) or pass --from-file FILE`,
        'secrets',
      );
    }
  }
  return bytes.toString('utf8').replace(/\r?\n$/, '');
}

function scopeText(secret: SecretInfo): string {
  return secret.scope === 'organization' ? 'organization' : `stage ${secret.stage ?? ''}`;
}

function listText(secrets: readonly SecretInfo[]): string {
  if (secrets.length === 0) return 'No secret is set.\n';
  return textTable([
    ['NAME', 'SCOPE', 'VERSION', 'STORAGE', 'UPDATED', 'BY', 'DESCRIPTION'],
    ...secrets.map((s) => [
      s.name,
      scopeText(s),
      String(s.version),
      s.storage,
      dateTime(s.updatedAt),
      s.updatedBy,
      s.description ?? '',
    ]),
  ]);
}
