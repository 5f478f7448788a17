// Test helpers: requests signed by the AWS SDK's own SigV4 signer, sent with fetch.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock, Sandbox } from '../src/index.js';
import type { TestCredentials } from './sdk-clients.js';

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** The SHA-256 implementation the smithy signer expects, on node:crypto. */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** A signer for one service in us-east-1. */
export function signer(
  service: string,
  credentials: TestCredentials,
  uriEscapePath = true,
): SignatureV4 {
  return new SignatureV4({
    service,
    region: 'us-east-1',
    credentials,
    sha256: NodeSha256,
    uriEscapePath,
  });
}

/** What to send. */
export interface RawRequest {
  service: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  credentials: TestCredentials;
  clock: Clock;
}

/** Signs a request with the SDK signer and sends it. */
export async function signedFetch(sandbox: Sandbox, request: RawRequest): Promise<Response> {
  const url = new URL(sandbox.endpoint);
  const httpRequest = {
    method: request.method ?? 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path ?? '/',
    query: request.query ?? {},
    headers: { host: url.host, ...(request.headers ?? {}) },
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  const signed = await signer(request.service, request.credentials).sign(httpRequest, {
    signingDate: request.clock.now(),
  });
  const query = new URLSearchParams(request.query ?? {}).toString();
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers['host'];
  return fetch(`${sandbox.endpoint}${httpRequest.path}${query ? `?${query}` : ''}`, {
    method: httpRequest.method,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
}

/** SHA-256 hex, for payload hashes. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
