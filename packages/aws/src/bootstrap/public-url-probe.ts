/**
 * `rampart bootstrap --check` with `public_url`: does `<public_url>/healthz` answer from this
 * machine? Only a hint (AWS reaches the server from elsewhere), so bootstrap never depends on it.
 */

/** What the probe found. */
export interface PublicUrlProbe {
  /** The URL asked: `<public_url>/healthz`. */
  url: string;
  /** The server answered 200. */
  reachable: boolean;
  /** `answered 200`, `answered 502`, or why no answer came (`ECONNREFUSED`, a timeout). */
  detail: string;
}

export interface ProbePublicUrlOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default 5000, as long as EventBridge waits for an API destination */
  timeoutMs?: number;
}

/** GETs `<publicUrl>/healthz`; never throws. */
export async function probePublicUrl(
  publicUrl: string,
  options: ProbePublicUrlOptions = {},
): Promise<PublicUrlProbe> {
  const url = `${publicUrl.replace(/\/+$/, '')}/healthz`;
  const get = options.fetch ?? globalThis.fetch;
  try {
    const response = await get(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    await response.body?.cancel();
    return { url, reachable: response.status === 200, detail: `answered ${response.status}` };
  } catch (error) {
    return { url, reachable: false, detail: reasonOf(error) };
  }
}

/** The most specific reason: Node's fetch hides the socket error (`ECONNREFUSED`) in `cause`. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer in time';
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error.message;
}
