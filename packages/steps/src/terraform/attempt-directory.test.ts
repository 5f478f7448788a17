import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../test-support/temp-workspace.js';
import {
  attemptDirectory,
  prepareAttemptDirectory,
  sweepAttemptDirectories,
} from './attempt-directory.js';

describe('attempt directories', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'rampart-tf-attempts-'));
  const ws = tempWorkspace({
    'infra/main.tf': 'x',
    'modules/a/main.tf': 'y',
    '.git/HEAD': 'ref',
    'infra/.terraform/terraform.tfstate': '{}',
  });
  symlinkSync('/etc', join(ws.root, 'outside'));
  afterAll(() => {
    ws.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('copies the revision without git or terraform data, links kept as links', async () => {
    const dir = attemptDirectory(workDir, 'pl-1:7/0/r1/s0/c1');
    expect(dir).toEqual(attemptDirectory(workDir, 'pl-1:7/0/r1/s0/c1'));
    expect(dir.root).not.toBe(attemptDirectory(workDir, 'pl-1:7/0/r2/s0/c1').root);
    await prepareAttemptDirectory(dir, ws.root);
    expect(existsSync(join(dir.repo, 'infra', 'main.tf'))).toBe(true);
    expect(existsSync(join(dir.repo, 'modules', 'a', 'main.tf'))).toBe(true);
    expect(existsSync(join(dir.repo, '.git'))).toBe(false);
    expect(existsSync(join(dir.repo, 'infra', '.terraform'))).toBe(false);
    expect(readlinkSync(join(dir.repo, 'outside'))).toBe('/etc');
    expect(existsSync(dir.data) && existsSync(dir.home)).toBe(true);
  });

  it('sweeps attempts untouched for longer than the limit, never the current one', async () => {
    const old = attemptDirectory(workDir, 'old');
    const current = attemptDirectory(workDir, 'current');
    const recent = attemptDirectory(workDir, 'recent');
    for (const d of [old, current, recent]) mkdirSync(d.root, { recursive: true });
    const now = Date.now();
    const longAgo = new Date(now - 10 * 3_600_000);
    utimesSync(old.root, longAgo, longAgo);
    utimesSync(current.root, longAgo, longAgo);
    mkdirSync(join(workDir, 'not-an-attempt'));
    utimesSync(join(workDir, 'not-an-attempt'), longAgo, longAgo);
    await sweepAttemptDirectories(workDir, 3_600_000, now, current.root);
    expect(existsSync(old.root)).toBe(false);
    expect(existsSync(current.root)).toBe(true);
    expect(existsSync(recent.root)).toBe(true);
    expect(existsSync(join(workDir, 'not-an-attempt'))).toBe(true);
  });
});
