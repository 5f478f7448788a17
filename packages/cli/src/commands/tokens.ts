/** `rampart tokens create|list|revoke`: the server's API tokens (admin token needed). */
import { API_ROLES, type ApiTokenInfo } from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  CLIENT_FLAGS_HELP,
  connect,
  parseClientFlags,
  requiredFlag,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import { choice } from '../parse-flags.js';
import { textTable } from '../render/text-table.js';
import { dateTime } from '../render/time-text.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart tokens create --name NAME --role viewer|deployer|admin [--expires-at TIME] [--json]
       rampart tokens list [--json]
       rampart tokens revoke ID [--json]

Manages API tokens (needs an admin token). A token's role decides what it may
do: viewer reads, deployer also releases and operates, admin also manages
pipelines and tokens. What a token does is recorded as token:<name>.

Subcommands:
  create              Create a token; its secret is printed once, alone on
                      stdout (notes go to stderr), so it can be piped into a
                      secret store
  list                List tokens, revoked ones included (never secrets)
  revoke ID           Revoke a token at once

Options of create:
  --name NAME         1 to 100 letters, digits, . _ @ or -; unique
  --role ROLE         viewer, deployer or admin
  --expires-at TIME   ISO time after which it stops working (default never)
${CLIENT_FLAGS_HELP}
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    if (sub === undefined)
      throw new UsageError('name a subcommand: create, list or revoke', 'tokens');
    io.stdout(help);
    return EXIT.ok;
  }
  const { values, positionals, json } = parseClientFlags(
    'tokens',
    rest,
    sub === 'create'
      ? { name: { type: 'string' }, role: { type: 'string' }, 'expires-at': { type: 'string' } }
      : {},
    sub === 'revoke' ? 1 : 0,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  switch (sub) {
    case 'create': {
      const name = requiredFlag('tokens', values, 'name', 'NAME');
      if (values.role === undefined)
        throw new UsageError('--role viewer|deployer|admin is required', 'tokens');
      const role = choice('tokens', 'role', values.role, API_ROLES, 'viewer');
      const expiresAt = stringFlag(values, 'expires-at');
      if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt)))
        throw new UsageError(`--expires-at must be an ISO time, not "${expiresAt}"`, 'tokens');
      return withJsonErrors(json, io, async () => {
        const created = await connect(io, values).createToken({
          name,
          role,
          ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
        });
        if (json) {
          io.stdout(`${JSON.stringify(created, null, 2)}\n`);
        } else {
          io.stdout(`${created.secret}\n`);
          io.stderr(
            `created token "${created.token.name}" (${created.token.role}, id ${created.token.id}). ` +
              'The secret above is shown only now: store it, e.g. as RAMPART_TOKEN in your CI secrets.\n',
          );
        }
        return EXIT.ok;
      });
    }
    case 'list':
      return withJsonErrors(json, io, async () => {
        const { tokens } = await connect(io, values).listTokens();
        io.stdout(json ? `${JSON.stringify({ tokens }, null, 2)}\n` : listText(tokens));
        return EXIT.ok;
      });
    case 'revoke': {
      const id = positionals[0];
      if (id === undefined) throw new UsageError('name the token: tokens revoke ID', 'tokens');
      return withJsonErrors(json, io, async () => {
        const revoked = await connect(io, values).revokeToken(id);
        io.stdout(json ? `${JSON.stringify(revoked, null, 2)}\n` : `revoked token ${revoked.id}\n`);
        return EXIT.ok;
      });
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}": use create, list or revoke`, 'tokens');
  }
}

function listText(tokens: readonly ApiTokenInfo[]): string {
  if (tokens.length === 0) return 'No token is stored.\n';
  return textTable([
    ['ID', 'NAME', 'ROLE', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'],
    ...tokens.map((t) => [
      t.id,
      t.name,
      t.role,
      dateTime(t.createdAt),
      t.expiresAt === undefined ? '-' : dateTime(t.expiresAt),
      t.lastUsedAt === undefined ? '-' : dateTime(t.lastUsedAt),
      t.revokedAt === undefined ? '-' : dateTime(t.revokedAt),
    ]),
  ]);
}
