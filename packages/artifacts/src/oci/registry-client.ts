/**
 * A client of one registry over the OCI Distribution API: manifests, blobs, uploads and mounts,
 * with anonymous, Basic and Bearer-token authentication. Bodies are streams, never buffers.
 */
import type { Readable } from 'node:stream';
import { RampartError } from '@rampart/core';
import { Agent, request, type Dispatcher } from 'undici';
import { digestOf } from './digest.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { registryError, requestFailure, type RequestContext } from './registry-error.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** A user name and password (or token) for a registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** A request the client made and the status it got, for counting and diagnostics. */
export interface RegistryRequestInfo {
  registry: string;
  method: string;
  url: string;
  status: number;
}

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** `host[:port]` of the registry. */
  registry: string;
  /** Sent as Basic, or exchanged for Bearer tokens when the registry asks. @default anonymous */
  credentials?: RegistryCredentials;
  /** Plain HTTP instead of HTTPS. @default false */
  insecure?: boolean;
  /** Whether tokens should allow pushing (the destination of a copy). @default false */
  push?: boolean;
  /** The connection pool; shared between clients to reuse keep-alive connections. @default a new Agent */
  dispatcher?: Dispatcher;
  /** Cancels every request in flight. */
  signal?: AbortSignal;
  /** Told about every answer (including 401s that are then retried with credentials). */
  onResponse?: (info: RegistryRequestInfo) => void;
}

/** What a manifest HEAD tells without the body. */
export interface ManifestHead {
  /** `Docker-Content-Digest`, when the registry sent it. */
  digest: string | undefined;
  mediaType: string | undefined;
  size: number | undefined;
}

/** A manifest's exact bytes with its media type and digest. */
export interface ManifestBytes {
  bytes: Buffer;
  mediaType: string | undefined;
  digest: string;
}

/** A blob download: its body stream and length. */
export interface BlobStream {
  body: Readable;
  size: number | undefined;
}

/** What a cross-repository mount did: linked the blob, or opened an upload session instead. */
export type MountResult = { mounted: true } | { mounted: false; uploadUrl: string };

interface SendRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  scopes: readonly string[];
  context: RequestContext;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Follow 3xx answers (blob downloads that registries redirect to storage). */
  follow?: boolean;
}

/** How long a Bearer token is kept when the token server names no lifetime (it says 60 s). */
const DEFAULT_TOKEN_SECONDS = 60;
/** Manifests are small; a larger body is refused rather than held in memory. */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
const USER_AGENT = 'rampart-mirror';

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function lengthOf(headers: Dispatcher.ResponseData['headers']): number | undefined {
  const value = header(headers, 'content-length');
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A 429's `Retry-After` in ms (seconds or an HTTP date), for the retry loop. */
function retryAfterMs(headers: Dispatcher.ResponseData['headers']): number | undefined {
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Reads a body as text, at most `limit` bytes (error bodies and token answers are small). */
async function readText(body: Readable, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size < limit) chunks.push(buffer.subarray(0, limit - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The client of one registry. Create one per registry and credentials. */
export class RegistryClient {
  readonly registry: string;
  private readonly base: string;
  private readonly credentials: RegistryCredentials | undefined;
  private readonly push: boolean;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly signal: AbortSignal | undefined;
  private readonly onResponse: ((info: RegistryRequestInfo) => void) | undefined;
  /** What the registry asked for: nothing yet, Basic, or Bearer tokens from `realm`. */
  private auth:
    | { scheme: 'none' }
    | { scheme: 'basic' }
    | { scheme: 'bearer'; realm: string; service: string | undefined } = { scheme: 'none' };
  private readonly tokens = new Map<string, { token: Promise<string>; expiresAt: number }>();

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.base = `${options.insecure === true ? 'http' : 'https'}://${options.registry}`;
    this.credentials = options.credentials;
    this.push = options.push ?? false;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000 });
    this.signal = options.signal;
    this.onResponse = options.onResponse;
    // Basic is sent from the first request: a registry that wants tokens answers 401 with a
    // Bearer challenge and we switch; one that takes Basic saves the round trip (so an unchanged
    // re-mirror is one HEAD, not a 401 and a HEAD).
    if (this.credentials !== undefined) this.auth = { scheme: 'basic' };
  }

  /** Closes the connection pool when this client created it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** The manifest's digest and type, or `undefined` when the registry does not have it (404). */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    const context = this.context(repository, `check manifest "${reference}"`, 'pull');
    const response = await this.send({
      method: 'HEAD',
      url: `${this.base}/v2/${repository}/manifests/${reference}`,
      scopes: [this.scope(repository)],
      headers: { accept: MANIFEST_ACCEPT },
      context,
    });
    await response.body.dump();
    if (response.statusCode === 404) return undefined;
    if (response.statusCode !== 200) throw this.failure(response, undefined, context);
    return {
      digest: header(response.headers, 'docker-content-digest'),
      mediaType: header(response.headers, 'content-type'),
      size: lengthOf(response.headers),
    };
  }

  /**
   * The manifest's exact bytes. When `reference` is a digest the bytes must hash to it, and a
   * `Docker-Content-Digest` the registry sends must agree with them.
   */
  async getManifest(repository: string, reference: string): Promise<ManifestBytes> {
    const context = this.context(repository, `read manifest "${reference}"`, 'pull');
    const response = await this.send({
      method: 'GET',
      url: `${this.base}/v2/${repository}/manifests/${reference}`,
      scopes: [this.scope(repository)],
      headers: { accept: MANIFEST_ACCEPT },
      context,
      follow: true,
    });
    if (response.statusCode !== 200) {
      throw this.failure(response, await readText(response.body), context);
    }
    const declared = lengthOf(response.headers);
    if (declared !== undefined && declared > MAX_MANIFEST_BYTES) {
      await response.body.dump();
      throw new RampartError(
        'MANIFEST_UNSUPPORTED',
        `the manifest "${reference}" of ${this.registry}/${repository} is ${declared} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`,
        { source: 'user', hint: 'Manifests are at most a few KiB; check that this is an image.' },
      );
    }
    const bytes = Buffer.from(await response.body.arrayBuffer());
    const named = reference.includes(':')
      ? reference
      : header(response.headers, 'docker-content-digest');
    const digest = digestOf(bytes, named);
    if (named !== undefined && named !== digest) {
      throw new RampartError(
        'ARTIFACT_DIGEST_MISMATCH',
        `the manifest "${reference}" read from ${this.registry}/${repository} hashes to ${digest}, not ${named}`,
        {
          source: 'system',
          retryable: true,
          hint: 'The registry served other bytes than it announced: run the mirror again; if it persists the source registry is corrupt.',
        },
      );
    }
    return { bytes, mediaType: header(response.headers, 'content-type'), digest };
  }

  /** Stores a manifest under a tag or its digest; returns the digest the registry reports. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const context = this.context(repository, `push manifest "${reference}"`, 'push');
    const response = await this.send({
      method: 'PUT',
      url: `${this.base}/v2/${repository}/manifests/${reference}`,
      scopes: [this.scope(repository)],
      headers: { 'content-type': mediaType },
      body: bytes,
      context,
    });
    const text = await readText(response.body);
    if (response.statusCode !== 201 && response.statusCode !== 200) {
      throw this.failure(response, text, context);
    }
    return header(response.headers, 'docker-content-digest') ?? digestOf(bytes);
  }

  /** Whether the repository holds the blob (HEAD). */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const context = this.context(repository, `check blob ${digest}`, 'pull');
    const response = await this.send({
      method: 'HEAD',
      url: `${this.base}/v2/${repository}/blobs/${digest}`,
      scopes: [this.scope(repository)],
      context,
      follow: true,
    });
    await response.body.dump();
    if (response.statusCode === 200) return true;
    if (response.statusCode === 404) return false;
    throw this.failure(response, undefined, context);
  }

  /** Opens a blob for reading; the caller consumes or destroys `body`. */
  async openBlob(repository: string, digest: string): Promise<BlobStream> {
    const context = this.context(repository, `read blob ${digest}`, 'pull');
    const response = await this.send({
      method: 'GET',
      url: `${this.base}/v2/${repository}/blobs/${digest}`,
      scopes: [this.scope(repository)],
      context,
      follow: true,
    });
    if (response.statusCode !== 200) {
      throw this.failure(response, await readText(response.body), context);
    }
    return { body: response.body, size: lengthOf(response.headers) };
  }

  /** Opens an upload session; returns its URL. */
  async startUpload(repository: string): Promise<string> {
    const context = this.context(repository, 'start a blob upload', 'push');
    const url = `${this.base}/v2/${repository}/blobs/uploads/`;
    const response = await this.send({
      method: 'POST',
      url,
      scopes: [this.scope(repository)],
      headers: { 'content-length': '0' },
      context,
    });
    const text = await readText(response.body);
    if (response.statusCode !== 202) throw this.failure(response, text, context);
    return this.location(response, url, context);
  }

  /**
   * Asks the registry to link a blob from another repository it holds (`?mount=&from=`). A
   * registry that cannot or may not (unknown blob, no read access) opens an upload session.
   */
  async mountBlob(repository: string, digest: string, from: string): Promise<MountResult> {
    const context = this.context(repository, `mount blob ${digest} from "${from}"`, 'push');
    const url = `${this.base}/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const response = await this.send({
      method: 'POST',
      url,
      scopes: [this.scope(repository), `repository:${from}:pull`],
      headers: { 'content-length': '0' },
      context,
    });
    const text = await readText(response.body);
    if (response.statusCode === 201) return { mounted: true };
    if (response.statusCode !== 202) throw this.failure(response, text, context);
    return { mounted: false, uploadUrl: this.location(response, url, context) };
  }

  /**
   * Sends a blob's whole content to an upload session and completes it: monolithically
   * (`PUT ?digest=` with the body), or as one streamed `PATCH` then an empty `PUT`. The registry
   * verifies the digest.
   */
  async completeUpload(
    repository: string,
    uploadUrl: string,
    digest: string,
    body: Readable,
    size: number,
    method: 'put' | 'patch' = 'put',
  ): Promise<void> {
    const context = this.context(repository, `upload blob ${digest}`, 'push');
    let url = uploadUrl;
    if (method === 'patch') {
      const patched = await this.send({
        method: 'PATCH',
        url,
        scopes: [this.scope(repository)],
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body,
        context,
      });
      const text = await readText(patched.body);
      if (patched.statusCode !== 202 && patched.statusCode !== 204) {
        throw this.failure(patched, text, context);
      }
      url = this.location(patched, url, context);
    }
    const withBody = method === 'put';
    const response = await this.send({
      method: 'PUT',
      url: `${url}${url.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`,
      scopes: [this.scope(repository)],
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(withBody ? size : 0),
      },
      ...(withBody ? { body } : {}),
      context,
    });
    const text = await readText(response.body);
    if (response.statusCode !== 201 && response.statusCode !== 204) {
      throw this.failure(response, text, context);
    }
  }

  private scope(repository: string): string {
    return `repository:${repository}:${this.push ? 'pull,push' : 'pull'}`;
  }

  private context(repository: string, action: string, access: 'pull' | 'push'): RequestContext {
    // A destination's refusals name the push permissions, even for its HEADs: those are needed.
    return { registry: this.registry, repository, action, access: this.push ? 'push' : access };
  }

  private failure(
    response: Dispatcher.ResponseData,
    body: string | undefined,
    context: RequestContext,
  ): RampartError {
    const error = registryError(response.statusCode, body, context);
    const after = response.statusCode === 429 ? retryAfterMs(response.headers) : undefined;
    return after === undefined ? error : Object.assign(error, { retryAfterMs: after });
  }

  private location(
    response: Dispatcher.ResponseData,
    requestUrl: string,
    context: RequestContext,
  ): string {
    const value = header(response.headers, 'location');
    if (value === undefined) {
      throw new RampartError(
        'REGISTRY_REJECTED',
        `registry ${this.registry} answered ${response.statusCode} without a Location to ${context.action}`,
        { source: 'system', hint: 'The registry does not follow the OCI Distribution API.' },
      );
    }
    return new URL(value, requestUrl).href;
  }

  /** One request with authentication: learns the scheme from 401 challenges and retries once. */
  private async send(req: SendRequest): Promise<Dispatcher.ResponseData> {
    let learned = false;
    for (;;) {
      const response = await this.exchange(req, await this.authorization(req.scopes));
      if (response.statusCode !== 401 || learned) return response;
      const challenge = header(response.headers, 'www-authenticate') ?? '';
      const text = await readText(response.body);
      if (!this.learn(challenge, req.scopes)) {
        throw registryError(401, text, req.context);
      }
      learned = true;
      // A streamed body is gone: the caller's retry sends it again with the credentials learned.
      if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
        throw Object.assign(registryError(401, text, req.context), { retryable: true });
      }
    }
  }

  /** Updates the scheme from a 401 challenge; false when nothing new can be tried. */
  private learn(challenge: string, scopes: readonly string[]): boolean {
    const challenges = parseWwwAuthenticate(challenge);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params['realm'] !== undefined);
    if (bearer !== undefined) {
      const realm = bearer.params['realm'] ?? '';
      const fresh = this.auth.scheme !== 'bearer' || this.auth.realm !== realm;
      this.auth = { scheme: 'bearer', realm, service: bearer.params['service'] };
      // A token we already had was refused (expired, or too narrow): fetch a new one once.
      const key = [...scopes].sort().join(' ');
      const hadToken = this.tokens.delete(key);
      return fresh || hadToken;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (this.credentials === undefined || this.auth.scheme === 'basic') return false;
      this.auth = { scheme: 'basic' };
      return true;
    }
    return false;
  }

  private async authorization(scopes: readonly string[]): Promise<string | undefined> {
    switch (this.auth.scheme) {
      case 'none':
        return undefined;
      case 'basic':
        return this.credentials === undefined
          ? undefined
          : `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
      case 'bearer':
        return `Bearer ${await this.token(scopes, this.auth.realm, this.auth.service)}`;
      default: {
        const never: never = this.auth;
        return never;
      }
    }
  }

  /** A Bearer token for the scopes: cached until shortly before it expires. */
  private token(
    scopes: readonly string[],
    realm: string,
    service: string | undefined,
  ): Promise<string> {
    const key = [...scopes].sort().join(' ');
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.token;
    const entry = {
      token: this.fetchToken(scopes, realm, service, (seconds) => {
        entry.expiresAt = Date.now() + Math.max(0, seconds - 10) * 1000;
      }),
      expiresAt: Number.POSITIVE_INFINITY,
    };
    this.tokens.set(key, entry);
    entry.token.catch(() => this.tokens.delete(key));
    return entry.token;
  }

  private async fetchToken(
    scopes: readonly string[],
    realm: string,
    service: string | undefined,
    expiresIn: (seconds: number) => void,
  ): Promise<string> {
    const url = new URL(realm);
    if (service !== undefined) url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const context: RequestContext = {
      registry: this.registry,
      action: `get a token for ${scopes.join(' ')} from ${url.origin}${url.pathname}`,
      access: this.push ? 'push' : 'pull',
    };
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (this.credentials !== undefined) {
      headers['authorization'] =
        `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.dispatcher,
        signal: this.signal ?? null,
      });
    } catch (error) {
      throw requestFailure(error, context);
    }
    const text = await readText(response.body);
    this.onResponse?.({
      registry: this.registry,
      method: 'GET',
      url: url.href,
      status: response.statusCode,
    });
    if (response.statusCode !== 200) throw registryError(response.statusCode, text, context);
    let token: unknown;
    let lifetime: unknown;
    try {
      const parsed = JSON.parse(text) as {
        token?: unknown;
        access_token?: unknown;
        expires_in?: unknown;
      };
      token = parsed.token ?? parsed.access_token;
      lifetime = parsed.expires_in;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      throw new RampartError(
        'REGISTRY_UNAUTHORIZED',
        `the token server of ${this.registry} (${url.origin}${url.pathname}) answered without a token`,
        {
          source: 'system',
          hint: 'Check the registry credentials; the token server did not follow the Docker token protocol.',
        },
      );
    }
    expiresIn(typeof lifetime === 'number' && lifetime > 0 ? lifetime : DEFAULT_TOKEN_SECONDS);
    return token;
  }

  /** Sends one request (following redirects when asked); network failures become RampartErrors. */
  private async exchange(
    req: SendRequest,
    authorization: string | undefined,
  ): Promise<Dispatcher.ResponseData> {
    let url = req.url;
    for (let hops = 0; ; hops++) {
      const sameOrigin = new URL(url).origin === new URL(this.base).origin;
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...req.headers };
      // Credentials never follow a redirect to another host (signed storage URLs).
      if (authorization !== undefined && sameOrigin) headers['authorization'] = authorization;
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method: req.method,
          headers,
          body: req.body ?? null,
          dispatcher: this.dispatcher,
          signal: this.signal ?? null,
          highWaterMark: 1024 * 1024,
        });
      } catch (error) {
        throw requestFailure(error, req.context);
      }
      this.onResponse?.({
        registry: this.registry,
        method: req.method,
        url,
        status: response.statusCode,
      });
      const location = header(response.headers, 'location');
      const redirect = [301, 302, 303, 307, 308].includes(response.statusCode);
      if (req.follow !== true || !redirect || location === undefined || hops >= 5) return response;
      await response.body.dump();
      url = new URL(location, url).href;
    }
  }
}
