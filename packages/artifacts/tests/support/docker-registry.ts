// Real `docker-registry` (CNCF distribution) instances for tests and benchmarks: each on a free
// loopback port with its own config and storage in a temporary directory, anonymous or behind a
// Bearer token server of our own (the Docker token protocol, ES256 JWTs with an x5c chain).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** The full path of an executable on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Whether tests needing `commands` must skip: only outside CI. CI installs them
 * (`.ci/install-system-packages`), so there a missing tool fails the tests instead.
 */
export function skipWithout(...commands: string[]): { skip: boolean; reason: string } {
  const missing = commands.filter((c) => findOnPath(c) === undefined);
  const skip = missing.length > 0 && process.env['CI'] !== 'true';
  return {
    skip,
    reason: skip
      ? ` (SKIPPED: no ${missing.map((c) => `\`${c}\``).join(', ')} on PATH; apt-get install docker-registry openssl, or bash .ci/install-system-packages)`
      : '',
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running registry. */
export interface DockerRegistry {
  /** `127.0.0.1:<port>`, for image references. */
  host: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The token server, when the registry wants Bearer tokens. */
  tokens?: TokenServer;
  stop(): Promise<void>;
}

/** Options of a registry instance. */
export interface DockerRegistryOptions {
  /** Require Bearer tokens from this server. @default anonymous access */
  tokens?: TokenServer;
}

/** Starts `docker-registry serve` on a free port; resolves once `/v2/` answers. */
export async function startDockerRegistry(
  options: DockerRegistryOptions = {},
): Promise<DockerRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'rampart-docker-registry-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const auth =
      options.tokens === undefined
        ? ''
        : `auth:\n  token:\n    realm: ${options.tokens.realm}\n    service: ${options.tokens.service}\n    issuer: ${options.tokens.issuer}\n    rootcertbundle: ${options.tokens.certificateFile}\n`;
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  maintenance:\n    uploadpurging:\n      enabled: false\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: ${randomBytes(16).toString('hex')}\n${auth}`,
    );
    const child = spawn('docker-registry', ['serve', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const base = `http://127.0.0.1:${port}`;
    if (await ready(base, child)) {
      return {
        host: `127.0.0.1:${port}`,
        base,
        ...(options.tokens === undefined ? {} : { tokens: options.tokens }),
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    // Another process may have taken the port between our probe and the registry's listen.
    if (attempt >= 3) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start on port ${port}:\n${stderr}`);
    }
  }
}

/** Polls `/v2/` until the registry answers (200 or 401), the process exits, or 20 s pass. */
async function ready(base: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${base}/v2/`);
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A Docker token server: Basic-authenticated users, every requested action granted. */
export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certificateFile: string;
  /** The `scope` parameters of every token request, in order. */
  requests: { user: string | undefined; scopes: string[] }[];
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Starts a token server for `users` (name → password); anonymous requests get 401. */
export async function startTokenServer(users: Record<string, string>): Promise<TokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'rampart-token-server-'));
  const keyFile = join(dir, 'key.pem');
  const certificateFile = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certificateFile,
    '-days',
    '2',
    '-subj',
    '/CN=rampart-test-token-issuer',
  ]);
  const key: KeyObject = createPrivateKey(await readFile(keyFile));
  const certificate = new X509Certificate(await readFile(certificateFile));
  const issuer = 'rampart-test-issuer';
  const service = 'rampart-test-registry';
  const requests: TokenServer['requests'] = [];

  const server: Server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const auth = req.headers.authorization;
    const decoded =
      auth?.startsWith('Basic ') === true
        ? Buffer.from(auth.slice(6), 'base64').toString('utf8')
        : '';
    // The password may hold colons: only the first one separates it from the user.
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? undefined : decoded.slice(0, colon);
    const password = colon === -1 ? undefined : decoded.slice(colon + 1);
    const scopes = url.searchParams.getAll('scope');
    requests.push({ user, scopes });
    if (user === undefined || users[user] !== password) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"details":"incorrect username or password"}');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certificate.raw.toString('base64')] };
    const claims = {
      iss: issuer,
      sub: user,
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access: scopes.map((scope) => {
        const [type = '', name = '', actions = ''] = scope.split(':');
        return { type, name, actions: actions.split(',') };
      }),
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${input}.${base64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificateFile,
    requests,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
