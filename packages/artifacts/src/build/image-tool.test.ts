// Which image tool `auto` picks, with stand-in `docker` and `buildah` programs on PATH that
// succeed or fail as a reachable or missing Docker engine and an installed buildah would.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageToolSelector } from './image-tool.js';

let dir: string;

async function bin(name: string, programs: Record<string, number>): Promise<string> {
  const path = join(dir, name);
  await mkdir(path);
  for (const [program, code] of Object.entries(programs)) {
    await writeFile(join(path, program), `#!/bin/sh\nexit ${code}\n`);
    await chmod(join(path, program), 0o755);
  }
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-image-tool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ImageToolSelector', () => {
  it('picks docker when `docker info` succeeds, else buildah', async () => {
    const both = await bin('both', { docker: 0, buildah: 0 });
    expect(await new ImageToolSelector('auto', { PATH: both }).select()).toBe('docker');
    const noDaemon = await bin('no-daemon', { docker: 1, buildah: 0 });
    expect(await new ImageToolSelector('auto', { PATH: noDaemon }).select()).toBe('buildah');
    expect(await new ImageToolSelector('buildah', { PATH: both }).select()).toBe('buildah');
  });

  it('fails with ARTIFACT_BUILDER_UNAVAILABLE when the tool is missing', async () => {
    const none = await bin('none', {});
    await expect(new ImageToolSelector('auto', { PATH: none }).select()).rejects.toMatchObject({
      code: 'ARTIFACT_BUILDER_UNAVAILABLE',
    });
    const noDaemon = await bin('docker-down', { docker: 1 });
    const error = await new ImageToolSelector('docker', { PATH: noDaemon }).select().then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error?.code).toBe('ARTIFACT_BUILDER_UNAVAILABLE');
    expect(error?.message).toContain('docker info');
  });
});
