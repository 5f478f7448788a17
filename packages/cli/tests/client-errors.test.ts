// Mistakes and refusals of the client commands: usage errors (exit 2) and errors with a stable
// code and a hint (exit 1), against a real server or none.
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useApiServer } from '../../server/src/test-support/api-harness.js';
import { RampartClient } from '../src/client/rampart-client.js';
import { runRelease } from '../src/commands/release.js';
import { cliFor, emptyDir, watchingIo } from './client-support.js';
import { runCli } from './run-cli.js';

const temps: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('client command mistakes without a server', () => {
  it('refuses a token given as a flag, saying why', async () => {
    const cwd = emptyDir(temps);
    for (const flag of [['--token', 'rmp_x'], ['--token=rmp_x']]) {
      const result = await runCli(['status', ...flag], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'rampart status: --token is not accepted: a token on the command line lands in shell history and process lists; set RAMPART_TOKEN or pass --token-file FILE',
      );
      expect(result.stderr).toContain('Usage: rampart status');
    }
  });

  it('needs a token, and names the ways to give one', async () => {
    const result = await runCli(['pipelines', 'list'], { cwd: emptyDir(temps) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error CLIENT_TOKEN_MISSING: no API token to call the server with',
    );
    expect(result.stderr).toContain('hint: Set RAMPART_TOKEN or pass --token-file FILE');
  });

  it('a server that is not running: connection refused, with the address and a hint', async () => {
    const port = await closedPort();
    const result = await runCli(['status', '--server', `http://127.0.0.1:${port}`, '--json'], {
      cwd: emptyDir(temps),
      env: { RAMPART_TOKEN: 'rmp_x' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error CLIENT_SERVER_UNREACHABLE: cannot reach the Rampart server at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect(result.stderr).toContain(
      `hint: Is \`rampart server\` running at http://127.0.0.1:${port}?`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { code: 'CLIENT_SERVER_UNREACHABLE' },
    });
  });

  it('usage errors: missing --reason, bad numbers, conflicting or missing flags', async () => {
    const cwd = emptyDir(temps);
    const usage = async (argv: string[], message: string) => {
      const result = await runCli(argv, { cwd, env: { RAMPART_TOKEN: 'x' } });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    };
    await usage(
      ['approve', '--revision', '1', '--stage', 'prod', '--step', 'Bake'],
      'rampart approve: --reason TEXT is required: it is recorded in the audit trail',
    );
    await usage(['stop', '--stage', 'prod', '--reason', '  '], '--reason TEXT is required');
    await usage(['cancel', '--reason', 'x'], 'rampart cancel: --revision N is required');
    await usage(['rollback', '--stage', 'prod', '--reason', 'x'], '--to-revision N is required');
    await usage(
      ['retry', '--revision', 'two', '--stage', 'a', '--reason', 'x'],
      '--revision must be a revision number',
    );
    await usage(
      ['release', '--sha', 'abc1234', '--branch', 'main'],
      'name at most one of --sha, --branch and --revision',
    );
    await usage(['release', '--sha', 'main'], '--sha must be a commit id (hex), not "main"');
    await usage(['logs'], 'rampart logs: --revision N is required');
    await usage(['logs', '--revision', '1', '--step', 'Build'], '--step needs --stage');
    await usage(
      ['logs', '--revision', '1', '--stage', 'a', '--step', 'Build', '--build', 'Api'],
      '--step and --build exclude each other',
    );
    await usage(
      ['tokens', 'create', '--name', 'bot', '--role', 'root'],
      '--role must be one of viewer, deployer, admin',
    );
    await usage(['pipelines', 'add', '--slug', 'web'], 'one of --path DIR and --git URL');
    await usage(['pipelines', 'rename'], 'unknown subcommand "rename"');
  });

  it('every client command has help', async () => {
    const cwd = emptyDir(temps);
    for (const command of [
      'release',
      'status',
      'logs',
      'approve',
      'roll-forward',
      'override-window',
      'pipelines',
      'tokens',
    ]) {
      const result = await runCli([command, '--help'], { cwd });
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain(`Usage: rampart ${command}`);
    }
    const main = await runCli(['--help'], { cwd });
    expect(main.stdout).toMatch(/\n {2}roll-forward +Lift a rollback, deploy the newest\n/);
  });
});

describe('client command refusals from a real server', () => {
  const t = useApiServer();
  const env = () => ({ RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: t.adminToken });
  const cli = cliFor(() => emptyDir(temps), env);

  it('no pipeline, an unknown one, and two without --pipeline', async () => {
    const none = await cli('status');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      `error CLIENT_NO_PIPELINES: no pipeline is registered with ${t.server.url}`,
    );
    expect(none.stderr).toContain(
      'hint: Register one: rampart pipelines add --slug SLUG --path DIR',
    );

    await t.registerWeb();
    const unknown = await cli('status', '--pipeline', 'nope', '--json');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'error CLIENT_REQUEST_REFUSED: the server refused (PIPELINE_NOT_REGISTERED): no pipeline "nope" is registered',
    );
    expect(unknown.stderr).toContain('  hint: ');
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      error: {
        code: 'CLIENT_REQUEST_REFUSED',
        status: 404,
        api: { code: 'PIPELINE_NOT_REGISTERED', message: 'no pipeline "nope" is registered' },
      },
    });

    expect((await cli('pipelines', 'add', '--slug', 'api', '--path', t.repo.dir)).code).toBe(0);
    const two = await cli('release');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(
      'rampart release: 2 pipelines are registered (api, web): name one with --pipeline SLUG',
    );
    const list = await cli('pipelines', 'list');
    expect(list.stdout).toMatch(
      /^SLUG\s+SOURCE\s+DEFAULT BRANCH\s+REGISTERED\napi\s+path \S+\s+main\s+\d{4}-/,
    );
  });

  it('a wrong token and a token whose role is too weak', async () => {
    await t.registerWeb();
    const wrong = await runCli(['status'], {
      cwd: emptyDir(temps),
      env: {
        RAMPART_SERVER_URL: t.server.url,
        RAMPART_TOKEN: `rmp_${'0'.repeat(16)}_${'A'.repeat(43)}`,
      },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      'error CLIENT_TOKEN_REFUSED: the server refused the token from RAMPART_TOKEN (API_UNAUTHENTICATED): the API token is unknown, revoked or expired',
    );
    expect(wrong.stderr).toContain('hint: Check RAMPART_TOKEN');

    const viewer = await t.token('viewer', 'reader');
    const dir = emptyDir(temps);
    writeFileSync(join(dir, 'viewer.token'), `${viewer}\n`);
    // The token file works for reading …
    const read = await runCli(['status', '--token-file', 'viewer.token'], {
      cwd: dir,
      env: { RAMPART_SERVER_URL: t.server.url },
    });
    expect(read.code).toBe(0);
    // … and a viewer may not operate.
    const refused = await runCli(
      ['stop', '--stage', 'prod', '--reason', 'x', '--token-file', 'viewer.token'],
      {
        cwd: dir,
        env: { RAMPART_SERVER_URL: t.server.url },
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `(API_FORBIDDEN): token "reader" is a viewer; this needs the deployer role`,
    );
    expect(refused.stderr).toContain('hint: Use a token with the deployer role.');
  });

  it('finds the server from the config listen address', async () => {
    const dir = emptyDir(temps);
    writeFileSync(join(dir, 'rampart.config.yaml'), `listen: ${new URL(t.server.url).host}\n`);
    const result = await runCli(['tokens', 'list'], {
      cwd: dir,
      env: { RAMPART_TOKEN: t.adminToken },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+NAME\s+ROLE/);
    expect(result.stdout).toMatch(/\n\S+\s+admin\s+admin\s/);
  });

  it('release: a missing commit and a pipeline invalid at the commit, with its diagnostics', async () => {
    await t.registerWeb();
    const missing = await cli('release', '--sha', 'f'.repeat(40));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'error CLIENT_REQUEST_REFUSED: the server refused (SOURCE_REVISION_NOT_FOUND)',
    );
    const sha = t.repo.commit({
      '.rampart/web/pipeline.yaml':
        'version: "1.0.0"\npipeline:\n  cloud_provider: AWS\n  stages: []\n  stepz: []\n',
    });
    const invalid = await cli('release', '--sha', sha.slice(0, 8));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('the server refused (PIPELINE_INVALID)');
    expect(invalid.stderr).toMatch(
      /\n {2}\.rampart\/web\/pipeline\.yaml:\d+:\d+: error SCHEMA_UNKNOWN_KEY: /,
    );
  });

  it('a release whose answer is lost is retried with the same request id: one deployment', async () => {
    await t.registerWeb();
    // A proxy that forwards the first start request but drops the connection instead of answering.
    let dropped = 0;
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const answer = await fetch(`${t.server.url}${req.url ?? ''}`, {
            method: req.method ?? 'GET',
            headers: Object.fromEntries(
              ['authorization', 'content-type', 'accept'].flatMap((h) =>
                typeof req.headers[h] === 'string' ? [[h, req.headers[h]]] : [],
              ),
            ),
            ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
          });
          const body = await answer.text();
          if (req.method === 'POST' && dropped === 0) {
            dropped += 1;
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(body);
        })();
      });
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const io = watchingIo(emptyDir(temps), {
      RAMPART_SERVER_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      RAMPART_TOKEN: t.adminToken,
    });
    expect(await runRelease([], io, { retryDelayMs: 1 })).toBe(0);
    expect(dropped).toBe(1);
    expect(io.err()).toContain('trying again (the request id keeps it to one deployment)');
    expect(io.out()).toMatch(/^already started web #1 /);
    const list = await t.call<{ deployments: unknown[] }>(
      'GET',
      '/api/v1/pipelines/web/deployments',
    );
    expect(list.body.deployments).toHaveLength(1);
  });

  it('finds the newest event by searching when the history is long', async () => {
    await t.registerWeb();
    await t.call('POST', '/api/v1/pipelines/web/deployments', { body: {} });
    await t.idle();
    const path = '/api/v1/pipelines/web/events';
    const all = await t.call<{ events: { seq: number }[] }>('GET', `${path}?limit=1000`);
    const newest = all.body.events.at(-1)?.seq;
    expect(all.body.events.length).toBeGreaterThan(5);
    const client = new RampartClient({
      url: t.server.url,
      token: t.adminToken,
      tokenSource: 'RAMPART_TOKEN',
      tokenOrigin: 'RAMPART_TOKEN',
    });
    expect(await client.latestEventSeq(path)).toBe(newest);
    for (const page of [1, 2, 3]) expect(await client.latestEventSeq(path, page)).toBe(newest);
    expect(await client.latestEventSeq('/api/v1/pipelines/web/deployments/1/events', 2)).toBe(
      newest,
    );
  });
});
