// The request and response shapes that flow between the server, the protocols and the handlers.
import type { Readable } from 'node:stream';

/** One HTTP request as the sandbox sees it, after headers are read. */
export interface SandboxHttpRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded), without the query string. */
  rawPath: string;
  /** The query string exactly as sent, without `?`. */
  rawQuery: string;
  /** Decoded query parameters. */
  query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with `,`. */
  headers: Record<string, string>;
  /**
   * The buffered body. Empty for protocols that stream (`Protocol.maxBodyBytes === undefined`):
   * read {@link SandboxHttpRequest.stream} instead.
   */
  body: Buffer;
  /** The raw request stream, unread when the protocol streams. */
  stream: Readable;
  /** The peer address (`127.0.0.1`, `::1`, …). */
  remoteAddress: string;
}

/** A response ready to be written. */
export interface SandboxHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer | Readable;
}

/** A handler result that bypasses the protocol's rendering (REST protocols, S3 object bodies). */
export class RawResponse implements SandboxHttpResponse {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string | Buffer | Readable,
  ) {}
}
