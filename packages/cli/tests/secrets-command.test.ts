// `rampart secrets` against a real server (SQLite, master-key encryption): values go in through
// a file or standard input only, and never come back out.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useApiServer } from '../../server/src/test-support/api-harness.js';
import { main, type CliIo } from '../src/index.js';
import { cliFor, emptyDir } from './client-support.js';
import { runCli } from './run-cli.js';

describe('rampart secrets', () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const t = useApiServer();
  let cwd = '';
  const cli = cliFor(
    () => (cwd = cwd || emptyDir(temps)),
    () => ({ RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: t.adminToken }),
  );

  /** Runs `rampart secrets ARGV` with `stdin` as standard input. */
  const withStdin = async (stdin: string, ...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      isTty: false,
      cwd: emptyDir(temps),
      env: { RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: t.adminToken },
      readStdin: () => Promise.resolve(Buffer.from(stdin)),
    };
    const code = await main(['secrets', ...argv], io);
    return { code, stdout, stderr };
  };

  it('sets from stdin and from a file, lists without values, and deletes', async () => {
    const piped = await withStdin(
      'from-stdin-value-1\n',
      'set',
      'API_KEY',
      '--description',
      'the API',
    );
    expect(piped).toMatchObject({
      code: 0,
      stdout: 'created organization secret API_KEY (version 1, local)\n',
    });
    const file = join(emptyDir(temps), 'value.txt');
    writeFileSync(file, 'from-file-value-2\n');
    const fromFile = await cli('secrets', 'set', 'DB', '--stage', 'prod', '--from-file', file);
    expect(fromFile).toMatchObject({
      code: 0,
      stdout: 'created stage prod secret DB (version 1, local)\n',
    });
    const again = await withStdin('from-stdin-value-3', 'set', 'API_KEY');
    expect(again.stdout).toBe('updated organization secret API_KEY (version 2, local)\n');

    const listed = await cli('secrets', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME +SCOPE +VERSION +STORAGE +UPDATED +BY +DESCRIPTION\n/);
    expect(listed.stdout).toMatch(/API_KEY +organization +2 +local .* token:admin +the API\n/);
    expect(listed.stdout).toMatch(/DB +stage prod +1 +local/);
    const json = await cli('secrets', 'list', '--json');
    const parsed = JSON.parse(json.stdout) as { secrets: { name: string }[] };
    expect(parsed.secrets.map((s) => s.name)).toEqual(['API_KEY', 'DB']);
    for (const output of [listed.stdout, json.stdout, piped.stdout, again.stdout, fromFile.stdout])
      expect(output).not.toMatch(/from-(stdin|file)-value/);

    expect(await cli('secrets', 'delete', 'DB', '--stage', 'prod')).toMatchObject({
      code: 0,
      stdout: 'deleted stage prod secret DB\n',
    });
    const gone = await cli('secrets', 'delete', 'DB', '--stage', 'prod');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('(SECRET_NOT_FOUND)');
    expect(gone.stderr).toContain('stage "prod" secret "DB" is not set');
  });

  it('refuses a value given as a flag, with the way to pass it', async () => {
    for (const flag of ['--value=hunter2', '--value', '--secret']) {
      const refused = await withStdin('x', 'set', 'A', flag, 'hunter2');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('is not accepted');
      expect(refused.stderr).toContain('--from-file FILE');
    }
    expect((await cli('secrets', 'list', '--json')).stdout).toContain('"secrets": []');
  });

  it('refuses an empty value and a missing file; a viewer may list but not set', async () => {
    const empty = await withStdin('\n', 'set', 'EMPTY');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('(SECRET_VALUE_INVALID)');
    const missing = await cli('secrets', 'set', 'X', '--from-file', 'nope.txt');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--from-file nope.txt cannot be read');
    const viewer = await t.token('viewer');
    const io = (token: string) => ({ RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: token });
    const file = join(emptyDir(temps), 'v.txt');
    writeFileSync(file, 'viewer-value');
    const denied = await runCli(['secrets', 'set', 'V', '--from-file', file], {
      cwd: emptyDir(temps),
      env: io(viewer),
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('API_FORBIDDEN');
    const listed = await runCli(['secrets', 'list'], { cwd: emptyDir(temps), env: io(viewer) });
    expect(listed).toMatchObject({ code: 0, stdout: 'No secret is set.\n' });
  });
});
