/** `rampart mirror`: copies one image between two registries over the OCI Distribution API. */
import type { MirrorEvent, MirrorImageResult, RegistryCredentials } from '@rampart/artifacts';
import { EXIT, type CliIo } from '../cli-io.js';
import { parseFlags } from '../parse-flags.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart mirror SRC DEST [options]

Copies one image from one registry to another over the OCI Distribution API,
without a Docker daemon: a manifest with its config and layers, or a
multi-platform index with every platform. Nothing is copied when DEST already
has the same digest (one HEAD per registry). Only missing blobs are copied,
several at a time and streamed; within one registry they are mounted instead.
Manifests go last, so an interrupted copy is never visible, and running the
same command again resumes it.

Arguments:
  SRC                       registry/repository:tag or registry/repository@sha256:…
  DEST                      Where to put it; without a tag, SRC's tag is used

Options:
  --src-creds USER:PASS     Credentials for SRC's registry (or RAMPART_MIRROR_SRC_CREDS)
  --dest-creds USER:PASS    Credentials for DEST's registry (or RAMPART_MIRROR_DEST_CREDS)
  --insecure                Speak plain HTTP to both registries instead of HTTPS
  --concurrency N           Blobs copied at the same time, 1 to 64 (default 4)
  --json                    Print the result as one JSON object
  -h, --help                Show this help

Credentials are a user name and a password or token; for ECR the user is AWS
and the password \`aws ecr get-login-password\`. Prefer the environment
variables: flags end up in shell history and process lists.

Progress goes to stderr, the summary to stdout. Exit status: 0 when DEST has
the image (copied or already there), 1 when the copy failed, 2 for usage errors.

Examples:
  rampart mirror 127.0.0.1:5000/web:v1 127.0.0.1:5001/web
  RAMPART_MIRROR_DEST_CREDS="AWS:$(aws ecr get-login-password)" \\
    rampart mirror ghcr.io/acme/web@sha256:… 222222222222.dkr.ecr.us-east-1.amazonaws.com/web:v1
`;

/** Reads `USER:PASSWORD` (the password may hold colons). */
function credentials(text: unknown, from: string): RegistryCredentials | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const colon = text.indexOf(':');
  if (colon <= 0) {
    throw new UsageError(
      `${from} must be USER:PASSWORD (the user before the first colon)`,
      'mirror',
    );
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Decimal units, as registries and skopeo report sizes. */
function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TB'}`;
}

function short(digest: string): string {
  return digest.slice(0, digest.indexOf(':') + 13);
}

/** One stderr line per step; byte progress is left out (a line per 8 MiB is noise in logs). */
function progressLine(event: MirrorEvent): string | undefined {
  switch (event.type) {
    case 'resolved':
      return `resolved ${event.digest}\n`;
    case 'up-to-date':
      return undefined;
    case 'manifest-present':
      return `  present  manifest ${short(event.digest)}\n`;
    case 'blob-present':
      return `  present  ${short(event.digest)}  ${size(event.size)}\n`;
    case 'blob-mounted':
      return `  mounted  ${short(event.digest)}  ${size(event.size)}\n`;
    case 'blob-progress':
      return undefined;
    case 'blob-copied':
      return `  copied   ${short(event.digest)}  ${size(event.size)}\n`;
    case 'manifest-pushed':
      return `  pushed   manifest ${short(event.digest)} as ${event.reference}\n`;
    case 'retry':
      return `  retry    ${event.operation} in ${event.delayMs} ms (attempt ${event.attempt}: ${event.code} ${event.message})\n`;
    default: {
      const never: never = event;
      return never;
    }
  }
}

function summary(source: string, destination: string, result: MirrorImageResult): string {
  if (result.skipped) return `${destination} is up to date (${result.digest})\n`;
  const parts = [
    `${result.blobsCopied} blob${result.blobsCopied === 1 ? '' : 's'} copied (${size(result.bytesCopied)})`,
    `${result.blobsMounted} mounted`,
    `${result.blobsSkipped} already there`,
    `${result.manifestsPushed} manifest${result.manifestsPushed === 1 ? '' : 's'} pushed`,
  ];
  return `mirrored ${source} to ${destination} (${result.digest}): ${parts.join(', ')}\n`;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    'mirror',
    argv,
    {
      'src-creds': { type: 'string' },
      'dest-creds': { type: 'string' },
      insecure: { type: 'boolean' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
    },
    2,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const [source, destination] = positionals;
  if (source === undefined || destination === undefined) {
    throw new UsageError('give the source and the destination image (SRC DEST)', 'mirror');
  }
  let concurrency = 4;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError(
        `--concurrency must be a whole number from 1 to 64, not ${JSON.stringify(values.concurrency)}`,
        'mirror',
      );
    }
  }
  const sourceAuth =
    credentials(values['src-creds'], '--src-creds') ??
    credentials(io.env['RAMPART_MIRROR_SRC_CREDS'], 'RAMPART_MIRROR_SRC_CREDS');
  const destinationAuth =
    credentials(values['dest-creds'], '--dest-creds') ??
    credentials(io.env['RAMPART_MIRROR_DEST_CREDS'], 'RAMPART_MIRROR_DEST_CREDS');

  const { mirrorImage } = await import('@rampart/artifacts');
  // Ctrl-C stops the copy cleanly; the blobs that arrived are kept for the next run.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await mirrorImage({
      source,
      destination,
      ...(sourceAuth === undefined ? {} : { sourceAuth }),
      ...(destinationAuth === undefined ? {} : { destinationAuth }),
      insecure: values.insecure === true,
      concurrency,
      signal: controller.signal,
      onProgress: (event) => {
        const line = progressLine(event);
        if (line !== undefined) io.stderr(line);
      },
    });
    io.stdout(
      values.json === true
        ? `${JSON.stringify({ source, destination, ...result })}\n`
        : summary(source, destination, result),
    );
    return EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
