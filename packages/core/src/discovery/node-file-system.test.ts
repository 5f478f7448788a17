import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, removeTempRepos } from '../test-support/pipeline-fixtures.js';
import { nodeFileSystem } from './node-file-system.js';

afterEach(removeTempRepos);

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('nodeFileSystem', () => {
  it('stat tells files from folders and gives the size', async () => {
    const root = makeTempRepo({ 'a.txt': 'hello', 'dir/': '' });
    expect(await nodeFileSystem.stat(join(root, 'a.txt'))).toEqual({
      isFile: true,
      isDirectory: false,
      size: 5,
    });
    expect(await nodeFileSystem.stat(join(root, 'dir'))).toMatchObject({
      isFile: false,
      isDirectory: true,
    });
  });

  it('readDir lists entries with their kind', async () => {
    const root = makeTempRepo({ 'a.txt': 'x', 'sub/b.txt': 'y' });
    const entries = await nodeFileSystem.readDir(root);
    expect(entries.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'a.txt', isFile: true, isDirectory: false },
      { name: 'sub', isFile: false, isDirectory: true },
    ]);
  });

  it('readFile returns the whole of a small file', async () => {
    const root = makeTempRepo({ 'a.txt': 'hello' });
    expect(Buffer.from(await nodeFileSystem.readFile(join(root, 'a.txt'), 100)).toString()).toBe(
      'hello',
    );
  });

  it('readFile stops after limit + 1 bytes, so an oversized file is never read whole', async () => {
    const root = makeTempRepo({ 'big.txt': 'x'.repeat(10_000) });
    expect((await nodeFileSystem.readFile(join(root, 'big.txt'), 100)).byteLength).toBe(101);
  });

  it('failures carry Node codes (ENOENT, EISDIR) for callers to map', async () => {
    const root = makeTempRepo({ 'dir/': '' });
    expect(await errorCode(nodeFileSystem.stat(join(root, 'nope')))).toBe('ENOENT');
    expect(await errorCode(nodeFileSystem.readFile(join(root, 'nope'), 10))).toBe('ENOENT');
    expect(await errorCode(nodeFileSystem.readFile(join(root, 'dir'), 10))).toBe('EISDIR');
  });
});
