/**
 * The API client's failures as RampartErrors with the CLI's stable codes: a refused request keeps
 * the server's own code, hint, field issues and pipeline diagnostics, so commands can show them
 * and `--json` can pass them on.
 */
import { RampartError, type ErrorCode } from '@rampart/core';
import { apiErrorBodySchema, type ApiError } from '@rampart/protocol';

/** A request the server answered with an error body. */
export class ApiRequestError extends RampartError {
  constructor(
    code: ErrorCode,
    message: string,
    /** The HTTP status. */
    readonly status: number,
    /** The server's error: its code, message, hint, `issues` and `diagnostics`. */
    readonly api: ApiError,
    hint: string | undefined,
  ) {
    super(code, message, {
      source: status >= 500 ? 'system' : 'user',
      retryable: status >= 500,
      ...(hint === undefined ? {} : { hint }),
    });
  }
}

/** What the client knows when it turns an answer into an error. */
export interface RequestContext {
  method: string;
  path: string;
  /** The server's base URL. */
  url: string;
  /** Where the token came from (`RAMPART_TOKEN`, `--token-file FILE`, …). */
  tokenOrigin: string;
}

/** The error for a non-2xx answer. */
export function errorFromAnswer(status: number, text: string, ctx: RequestContext): RampartError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = apiErrorBodySchema.safeParse(json);
  if (!parsed.success && status === 503) {
    return new RampartError(
      'CLIENT_SERVER_FAILED',
      `the server at ${ctx.url} is not ready (503${text.trim() === '' ? '' : `: ${text.trim().slice(0, 80)}`})`,
      {
        source: 'system',
        retryable: true,
        hint: 'A server that is starting answers 503 for a moment: try again shortly.',
      },
    );
  }
  if (!parsed.success) {
    return new RampartError(
      status >= 500 ? 'CLIENT_SERVER_FAILED' : 'CLIENT_RESPONSE_INVALID',
      `${ctx.method} ${ctx.url}${ctx.path} answered ${status} without a Rampart error body`,
      {
        source: 'system',
        hint:
          status >= 500
            ? "Read the server's log; a proxy in front of it may have answered."
            : `Check that ${ctx.url} is a Rampart server (\`rampart server\`) of the same version as this CLI.`,
      },
    );
  }
  const api = parsed.data.error;
  const details = detailLines(api);
  if (status === 401 || status === 403) {
    return new ApiRequestError(
      'CLIENT_TOKEN_REFUSED',
      `the server refused the token from ${ctx.tokenOrigin} (${api.code}): ${api.message}${details}`,
      status,
      api,
      status === 401
        ? `Check ${ctx.tokenOrigin}: the token is unknown, revoked or expired there. An admin creates a new one with \`rampart tokens create\`.`
        : api.hint,
    );
  }
  if (status >= 500) {
    return new ApiRequestError(
      'CLIENT_SERVER_FAILED',
      `the server failed to answer ${ctx.method} ${ctx.path} (${status} ${api.code})`,
      status,
      api,
      "Read the server's log for this request; retry once its cause is fixed.",
    );
  }
  return new ApiRequestError(
    'CLIENT_REQUEST_REFUSED',
    `the server refused (${api.code}): ${api.message}${details}`,
    status,
    api,
    api.hint,
  );
}

/** The request issues and pipeline diagnostics of an error, one indented line each. */
function detailLines(api: ApiError): string {
  const lines = [
    ...(api.issues ?? []).map((i) => `${i.path}: ${i.message}`),
    ...(api.diagnostics ?? []).map(
      (d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`,
    ),
  ];
  return lines.map((l) => `\n  ${l}`).join('');
}

/** Network error codes that mean the server is not there (or went away). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The system error code under a failed fetch (`fetch failed` wraps it in `cause`). */
export function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) {
      const inner = nested.map(networkCodeOf).find((c) => c !== undefined);
      if (inner !== undefined) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The error for a request that got no answer at all. */
export function unreachable(url: string, error: unknown): RampartError {
  const code = networkCodeOf(error);
  // `fetch failed` says little; its cause says more (`bad port`, a TLS error …).
  const cause = error instanceof Error ? error.cause : undefined;
  const why =
    code ??
    (cause instanceof Error
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error));
  return new RampartError(
    'CLIENT_SERVER_UNREACHABLE',
    `cannot reach the Rampart server at ${url} (${why})`,
    {
      source: 'system',
      retryable: true,
      cause: error,
      hint: `Is \`rampart server\` running at ${url}? Start it, or point the CLI at it with --server URL or RAMPART_SERVER_URL.`,
    },
  );
}
