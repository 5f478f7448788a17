/** Turns registry answers and network failures into RampartErrors with a code and a fix. */
import { RampartError, isRampartError } from '@rampart/core';

/** What was being done when a request failed, for the message. */
export interface RequestContext {
  /** `host[:port]` of the registry. */
  registry: string;
  /** The repository, when the request concerned one. */
  repository?: string;
  /** What the request did, as a verb phrase: `read manifest "v1"`, `upload blob sha256:…`. */
  action: string;
  /** Whether the request needed pull or push access: names the permission in the hint. */
  access: 'pull' | 'push';
}

/** The `errors` array of the OCI error body, as far as it can be read. */
function registryCodes(body: string | undefined): string {
  if (body === undefined || body === '') return '';
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const parts = (parsed.errors ?? [])
      .map((e) =>
        [typeof e.code === 'string' ? e.code : '', typeof e.message === 'string' ? e.message : '']
          .filter((s) => s !== '')
          .join(': '),
      )
      .filter((s) => s !== '');
    if (parts.length > 0) return parts.join('; ');
  } catch {
    // not the OCI error shape: quote the start of the text instead
  }
  return body.slice(0, 200).trim();
}

function where(context: RequestContext): string {
  return `registry ${context.registry}${context.repository === undefined ? '' : ` (repository "${context.repository}")`}`;
}

/** The RampartError for a registry's non-success answer. */
export function registryError(
  status: number,
  body: string | undefined,
  context: RequestContext,
): RampartError {
  const detail = registryCodes(body);
  const quoted = `${status}${detail === '' ? '' : ` ${detail}`}`;
  const message = `${where(context)} refused to ${context.action}: ${quoted}`;
  if (status === 401) {
    return new RampartError('REGISTRY_UNAUTHORIZED', message, {
      source: 'user',
      hint: `Give valid credentials for ${context.registry} (\`rampart mirror --src-creds\` / \`--dest-creds USER:PASSWORD\`); for ECR the user is AWS and the password \`aws ecr get-login-password\`.`,
    });
  }
  if (status === 403) {
    const actions =
      context.access === 'pull'
        ? 'pull (ECR: ecr:BatchGetImage, ecr:GetDownloadUrlForLayer)'
        : 'push (ECR: ecr:BatchGetImage, ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage)';
    return new RampartError('REGISTRY_DENIED', message, {
      source: 'user',
      hint: `Allow ${actions} on ${context.repository === undefined ? 'the repository' : `"${context.repository}"`} for these credentials (across AWS accounts also in the repository policy), or use credentials that may.`,
    });
  }
  if (status === 404) {
    return new RampartError('REGISTRY_NOT_FOUND', message, {
      source: 'user',
      hint: detail.includes('NAME_UNKNOWN')
        ? 'Create the repository first: registries such as ECR do not create repositories on push.'
        : 'Check the repository name and the tag or digest.',
    });
  }
  if (status === 429) {
    return new RampartError('REGISTRY_THROTTLED', message, {
      source: 'system',
      retryable: true,
      hint: 'Lower --concurrency or wait, then run the same command again: copied blobs are skipped.',
    });
  }
  if (status >= 500) {
    return new RampartError('REGISTRY_UNAVAILABLE', message, {
      source: 'system',
      retryable: true,
      hint: 'The registry failed; when it is healthy again run the same command: copied blobs are skipped.',
    });
  }
  return new RampartError('REGISTRY_REJECTED', message, {
    source: 'user',
    hint: detail.includes('TAG_INVALID')
      ? 'The tag is immutable in the destination: mirror to a new tag.'
      : "Read the registry's code in the message (OCI distribution error codes).",
  });
}

/** Error codes of Node and undici that mean the connection failed and a retry may work. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

/** Whether an error is the cancellation of a request through its AbortSignal. */
export function isAbort(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' ||
      errorCode(error) === 'UND_ERR_ABORTED' ||
      errorCode(error) === 'ABORT_ERR')
  );
}

/** The cancellation error: the same whatever step was running. */
export function cancelled(): RampartError {
  return new RampartError('MIRROR_CANCELLED', 'the mirror was cancelled before it finished', {
    source: 'user',
    hint: 'Run the same command again: blobs already copied are found by HEAD and skipped.',
  });
}

/** The RampartError for a thrown failure: RampartErrors pass, aborts cancel, the rest is network. */
export function requestFailure(error: unknown, context: RequestContext): RampartError {
  if (isRampartError(error)) return error;
  if (isAbort(error)) return cancelled();
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  return new RampartError(
    'REGISTRY_UNAVAILABLE',
    `cannot ${context.action} at ${where(context)}: ${code === undefined ? text : `${code} ${text}`}`,
    {
      source: 'system',
      retryable: code === undefined || NETWORK_CODES.has(code),
      hint: `Check that ${context.registry} is up and reachable (\`--insecure\` for a registry that speaks plain HTTP), then run the same command again.`,
      cause: error,
    },
  );
}
