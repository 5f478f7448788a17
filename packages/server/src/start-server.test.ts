import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@rampart/aws-sandbox';
import { keyRingFromConfig } from '@rampart/identity';
import { openStore } from '@rampart/store';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerNotice } from './server-notice.js';
import { startServer, type RunningServer } from './start-server.js';

const running: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(config: Parameters<typeof startServer>[0]['config'], clock?: ManualClock) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-server-'));
  dirs.push(dataDir);
  const server = await startServer({
    config: { data_dir: dataDir, ...config },
    listen: '127.0.0.1:0',
    ...(clock === undefined ? {} : { clock }),
  });
  running.push(server);
  return { server, dataDir };
}

/** A port nothing listens on (the kernel's pick, released again). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function getJson(
  url: string,
): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.json(),
  };
}

describe('startServer', () => {
  it('serves the discovery document, the JWKS and /healthz over HTTP', async () => {
    const { server } = await start({});
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // No issuer_url configured: the issuer is the server itself (enough for the sandbox).
    expect(server.issuer.issuerUrl).toBe(server.url);
    const discovery = await getJson(`${server.url}/.well-known/openid-configuration`);
    expect(discovery).toMatchObject({ status: 200, type: 'application/json' });
    expect(discovery.body).toMatchObject({
      issuer: server.url,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await getJson(`${server.url}/.well-known/jwks.json`);
    const keys = (jwks.body as { keys: { kid: string; d?: string }[] }).keys;
    expect(keys.map((k) => k.kid)).toEqual([(await server.issuer.keys.list())[0]?.kid]);
    expect(keys[0]?.d).toBeUndefined();
    expect(await getJson(`${server.url}/healthz`)).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect((await getJson(`${server.url}/nope`)).status).toBe(404);
  });

  it('a minted token verifies against the JWKS the discovery document names', async () => {
    const { server } = await start({});
    const { token } = await server.issuer.mintToken({ org: 'acme', pipeline: 'web', stage: 'dev' });
    const discovery = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as { jwks_uri: string; issuer: string };
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: 'sts.amazonaws.com',
    });
    expect(payload.sub).toBe('org:acme/pipeline:web/stage:dev');
  });

  it('an issuer URL with a path is served under that path only', async () => {
    const { server } = await start({ issuer_url: 'https://idp.example.com/rampart/' });
    expect(server.issuer.issuerUrl).toBe('https://idp.example.com/rampart');
    const discovery = await getJson(`${server.url}/rampart/.well-known/openid-configuration`);
    expect(discovery.body).toMatchObject({
      issuer: 'https://idp.example.com/rampart',
      jwks_uri: 'https://idp.example.com/rampart/.well-known/jwks.json',
    });
    expect((await getJson(`${server.url}/rampart/.well-known/jwks.json`)).status).toBe(200);
    expect((await getJson(`${server.url}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('serves a rotation made by another process (the CLI) without a restart', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const { server, dataDir } = await start({}, clock);
    const before = await server.issuer.keys.list();
    const cli = keyRingFromConfig({ config: { data_dir: dataDir }, clock });
    const rotation = await cli.rotate();
    const jwks = await getJson(`${server.url}/.well-known/jwks.json`);
    expect((jwks.body as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual([
      rotation.active.kid,
      before[0]?.kid,
    ]);
    expect((await server.issuer.mintToken({ org: 'a', pipeline: 'b', stage: 'c' })).kid).toBe(
      rotation.active.kid,
    );
  });

  it('a port in use is SERVER_LISTEN_FAILED naming the address', async () => {
    const { server } = await start({});
    const port = new URL(server.url).port;
    await expect(startServer({ config: {}, listen: `127.0.0.1:${port}` })).rejects.toMatchObject({
      code: 'SERVER_LISTEN_FAILED',
      message: `cannot listen on 127.0.0.1:${port} (EADDRINUSE)`,
    });
  });

  it('a malformed listen address is CONFIG_INVALID; stop() really stops', async () => {
    await expect(startServer({ config: {}, listen: 'localhost' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    const { server } = await start({});
    await server.stop();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('a store that cannot open fails the start and frees the port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rampart-server-'));
    dirs.push(dataDir);
    const port = await freePort();
    const notices: string[] = [];
    await expect(
      startServer({
        config: { data_dir: dataDir, database_url: 'postgres://[bad' },
        listen: `127.0.0.1:${port}`,
        onNotice: (n) => notices.push(n.code),
      }),
    ).rejects.toMatchObject({ code: 'STORE_URL_INVALID' });
    expect(notices).not.toContain('server.started');
    const server = await startServer({
      config: { data_dir: dataDir },
      listen: `127.0.0.1:${port}`,
    });
    running.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('reports its start and stop, stops once, and leaves the runtime stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rampart-server-'));
    dirs.push(dataDir);
    const notices: string[] = [];
    const server = await startServer({
      config: { data_dir: dataDir },
      listen: '127.0.0.1:0',
      onNotice: (n) => notices.push(n.code),
    });
    expect(notices).toEqual([
      'server.master_key_generated',
      'server.admin_token_created',
      'server.started',
    ]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await Promise.all([server.stop(), server.stop()]);
    expect(notices.filter((c) => c === 'server.stopped')).toHaveLength(1);
    await expect(server.store.ping()).rejects.toThrow();
    // A second start on the same data_dir finds the token and creates none.
    const again = await startServer({ config: { data_dir: dataDir }, listen: '127.0.0.1:0' });
    running.push(again);
    expect(again.firstAdminToken).toBeUndefined();
  });

  it('gives back at start the commands a killed server of this host still held', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rampart-server-'));
    dirs.push(dataDir);
    // What a server killed mid-command leaves: a lease in the name of a process that is gone.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    const deadWorker = `${hostname()}/${gone}/0123abcd`;
    const store = await openStore({ dataDir });
    const later = '2099-01-01T00:00:00.000Z';
    await store.engine.commit({
      pipelineId: 'web',
      expectedVersion: 0,
      state: {},
      events: [],
      commands: [
        { id: 'held', type: 'set-timer', payload: {}, dueAt: later },
        { id: 'other', type: 'set-timer', payload: {}, dueAt: later },
      ],
    });
    await store.engine.claimCommands({ owner: deadWorker, now: later, leaseMs: 60_000, limit: 1 });
    await store.engine.claimCommands({ owner: 'elsewhere', now: later, leaseMs: 60_000, limit: 1 });
    await store.close();

    const notices: ServerNotice[] = [];
    const server = await startServer({
      config: { data_dir: dataDir },
      listen: '127.0.0.1:0',
      onNotice: (n) => notices.push(n),
    });
    running.push(server);
    expect(notices.filter((n) => n.code === 'server.leases_reclaimed')).toEqual([
      { code: 'server.leases_reclaimed', owner: deadWorker, commands: 1 },
    ]);
    expect(await server.store.engine.getCommand('held')).not.toHaveProperty('leaseOwner');
    expect((await server.store.engine.getCommand('other'))?.leaseOwner).toBe('elsewhere');
  });
});
