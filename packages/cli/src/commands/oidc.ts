/** `rampart oidc show|rotate|publish`: the OIDC issuer's signing keys and published documents. */
import { join } from 'node:path';
import type { ControlPlaneConfig } from '@rampart/core';
import type { KeyRing, SigningKeyInfo } from '@rampart/identity';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadConfig } from '../config-file.js';
import { choice, parseFlags } from '../parse-flags.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart oidc show [--format text|json] [--config FILE]
       rampart oidc rotate [--config FILE]
       rampart oidc publish --bucket NAME [--prefix P] [--region R] [--config FILE]

Rampart is an OIDC identity provider: every stage role trusts tokens signed
with its keys (encrypted in data_dir/keys.json).

  show     The issuer URL and the signing keys: kid, active or retired, age.
  rotate   Adds a new active key. The old key is retired but stays in the
           key set until every token it signed has expired (10 minutes).
  publish  Writes the discovery document and the key set to an S3 bucket,
           for control planes AWS cannot reach. The issuer URL is then the
           bucket's HTTPS address: set issuer_url to the URL printed. The
           bucket must allow public reads of <prefix>/.well-known/*.
           Publish again after every rotation.

Options:
  --format text|json  Output format of show (default text)
  --bucket NAME       Bucket to publish to
  --prefix P          Key prefix inside the bucket (default: the bucket root)
  --region R          The bucket's region (default organization.cicd_account_region,
                      else $AWS_REGION, else us-east-1)
  --config FILE       Control-plane config (default ./rampart.config.yaml or
                      $RAMPART_CONFIG)
  -h, --help          Show this help
`;

const SUBCOMMANDS = ['show', 'rotate', 'publish'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    'oidc',
    argv,
    {
      config: { type: 'string' },
      format: { type: 'string' },
      bucket: { type: 'string' },
      prefix: { type: 'string' },
      region: { type: 'string' },
    },
    1,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const sub = positionals[0];
  if (sub === undefined)
    throw new UsageError('missing subcommand: show, rotate or publish', 'oidc');
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`unknown subcommand "${sub}": use show, rotate or publish`, 'oidc');
  }
  const subcommand = sub as Subcommand;
  const allowed: Record<Subcommand, string[]> = {
    show: ['config', 'format'],
    rotate: ['config'],
    publish: ['config', 'bucket', 'prefix', 'region'],
  };
  const extra = Object.keys(values).find(
    (k) => k !== 'help' && values[k] !== undefined && !allowed[subcommand].includes(k),
  );
  if (extra !== undefined) throw new UsageError(`--${extra} does not apply to oidc ${sub}`, 'oidc');

  const { config } = loadConfig(io, values.config as string | undefined);
  const { keyRingFromConfig } = await import('@rampart/identity');
  const keys = keyRingFromConfig({
    config,
    baseDir: io.cwd,
    onMasterKeyGenerated: (file) =>
      io.stderr(
        `generated a master key in ${file}: back it up; the signing keys cannot be read without it\n`,
      ),
  });
  switch (subcommand) {
    case 'show':
      return show(
        io,
        config,
        io.cwd,
        keys,
        choice('oidc', 'format', values.format, ['text', 'json'] as const, 'text'),
      );
    case 'rotate':
      return rotate(io, keys);
    case 'publish':
      return publish(io, config, keys, values);
  }
}

async function show(
  io: CliIo,
  config: ControlPlaneConfig,
  baseDir: string,
  keys: KeyRing,
  format: 'text' | 'json',
): Promise<number> {
  const list = await keys.list();
  const now = keys.clock.now();
  const { dataDirOf, KEY_FILE_NAME } = await import('@rampart/identity');
  const file = join(dataDirOf(config, baseDir), KEY_FILE_NAME);
  if (format === 'json') {
    const out = {
      issuer: config.issuer_url ?? null,
      keyFile: file,
      keys: list.map((k) => ({
        kid: k.kid,
        state: k.state,
        createdAt: k.createdAt.toISOString(),
        ageSeconds: Math.floor((now.getTime() - k.createdAt.getTime()) / 1000),
        retiredAt: k.retiredAt?.toISOString() ?? null,
        removedAt: k.removedAt?.toISOString() ?? null,
      })),
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  let text = `issuer: ${config.issuer_url ?? '(issuer_url is not set)'}\n`;
  text += `keys:   ${file}\n`;
  if (list.length === 0) {
    io.stdout(
      `${text}\nno signing keys yet: \`rampart server\` creates the first on start, or run \`rampart oidc rotate\`\n`,
    );
    return EXIT.ok;
  }
  const rows = list.map((k) => [k.kid, k.state, formatAge(now, k.createdAt), note(now, k)]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...[['KID', 'STATE', 'AGE'], ...rows].map((r) => (r[i] ?? '').length)),
  );
  const line = (r: string[]) =>
    `${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`.trimEnd();
  text += `\n${line(['KID', 'STATE', 'AGE', ''])}\n${rows.map((r) => `${line(r)}\n`).join('')}`;
  io.stdout(text);
  return EXIT.ok;
}

function note(now: Date, key: SigningKeyInfo): string {
  if (key.state === 'active') return 'signs new tokens';
  const removed = key.removedAt ?? now;
  return `retired ${formatAge(now, key.retiredAt ?? now)} ago; leaves the key set in ${formatAge(removed, now)}`;
}

async function rotate(io: CliIo, keys: KeyRing): Promise<number> {
  const result = await keys.rotate();
  let text = `new active key: ${result.active.kid}\n`;
  if (result.retired !== undefined) {
    text += `retired key:    ${result.retired.kid} (stays in the key set until ${result.retired.removedAt?.toISOString() ?? ''}, when every token it signed has expired)\n`;
  }
  for (const kid of result.dropped)
    text += `dropped:        ${kid} (all its tokens have expired)\n`;
  text +=
    'A running server uses the new key at once. If you publish the issuer documents, run `rampart oidc publish` now.\n';
  io.stdout(text);
  return EXIT.ok;
}

async function publish(
  io: CliIo,
  config: ControlPlaneConfig,
  keys: KeyRing,
  values: Record<string, unknown>,
): Promise<number> {
  const bucket = values.bucket;
  if (typeof bucket !== 'string') throw new UsageError('--bucket NAME is required', 'oidc');
  const region =
    (values.region as string | undefined) ??
    config.organization?.cicd_account_region ??
    nonEmpty(io.env.AWS_REGION) ??
    'us-east-1';
  const accessKeyId = nonEmpty(io.env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(io.env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(io.env.AWS_SESSION_TOKEN);
  const { publishIssuerDocuments } = await import('@rampart/identity');
  const result = await publishIssuerDocuments({
    keys,
    bucket,
    region,
    ...(typeof values.prefix === 'string' ? { prefix: values.prefix } : {}),
    ...(config.aws?.endpoint_url === undefined ? {} : { endpoint: config.aws.endpoint_url }),
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(sessionToken === undefined ? {} : { sessionToken }),
          },
        }),
  });
  let text = `published the issuer documents (keys ${result.kids.join(', ')}):\n`;
  for (const d of result.documents) text += `  ${d.url}\n`;
  text += `\nissuer URL: ${result.issuerUrl}\n`;
  if (config.issuer_url === result.issuerUrl) {
    text += 'issuer_url in the config already names it.\n';
  } else {
    text += `Set it in rampart.config.yaml, then bootstrap the accounts with it:\n  issuer_url: ${result.issuerUrl}\n`;
  }
  text += `The bucket must allow anonymous s3:GetObject on ${result.documents.map((d) => d.key).join(' and ')}.\n`;
  io.stdout(text);
  if (config.issuer_url !== undefined && config.issuer_url !== result.issuerUrl) {
    io.stderr(
      `warning: issuer_url is ${config.issuer_url}; tokens carry that issuer and do not verify against these documents until it is ${result.issuerUrl}\n`,
    );
  }
  return EXIT.ok;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A rough duration for people: 45s, 12m, 5h 3m, 2d 4h. */
function formatAge(now: Date, since: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
