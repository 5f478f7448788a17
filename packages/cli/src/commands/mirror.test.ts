// `rampart mirror` in process against real docker-registry instances (one behind Bearer tokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  skipWithout,
  startDockerRegistry,
  startTokenServer,
  type DockerRegistry,
  type TokenServer,
} from '../../../artifacts/tests/support/docker-registry.js';
import {
  pushManifest,
  randomBlob,
  readManifest,
  testImage,
  type TestManifest,
} from '../../../artifacts/tests/support/test-images.js';
import { runCli } from '../../tests/run-cli.js';

const tools = skipWithout('docker-registry', 'openssl');

describe('rampart mirror (usage)', () => {
  it.each([
    [['mirror'], 'give the source and the destination image'],
    [['mirror', 'a/b:c'], 'give the source and the destination image'],
    [['mirror', 'h:1/a:b', 'h:1/c', '--concurrency', '0'], '--concurrency must be a whole number'],
    [['mirror', 'h:1/a:b', 'h:1/c', '--src-creds', 'nocolon'], '--src-creds must be USER:PASSWORD'],
    [['mirror', 'h:1/a:b', 'h:1/c', 'extra'], 'unexpected argument "extra"'],
  ])('%j is a usage error', async (argv, message) => {
    const result = await runCli(argv, { cwd: '/' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: rampart mirror');
  });

  it('refuses a reference without a registry host, with a hint', async () => {
    const result = await runCli(['mirror', 'nginx:1', '127.0.0.1:1/x'], { cwd: '/' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error IMAGE_REFERENCE_INVALID: image reference "nginx:1"');
    expect(result.stderr).toContain('hint:');
  });

  it('rejects malformed credentials in the environment as usage errors', async () => {
    const result = await runCli(['mirror', 'h:1/a:b', 'h:1/c'], {
      cwd: '/',
      env: { RAMPART_MIRROR_DEST_CREDS: ':x' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('RAMPART_MIRROR_DEST_CREDS must be USER:PASSWORD');
  });

  it('prints its help', async () => {
    const result = await runCli(['mirror', '--help'], { cwd: '/' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('RAMPART_MIRROR_SRC_CREDS');
  });
});

describe.skipIf(tools.skip)(
  `rampart mirror between docker-registry instances${tools.reason}`,
  () => {
    let source: DockerRegistry;
    let secured: DockerRegistry;
    let tokens: TokenServer;
    let image: TestManifest;

    beforeAll(async () => {
      tokens = await startTokenServer({ ci: 'pa:ss' });
      [source, secured] = await Promise.all([
        startDockerRegistry(),
        startDockerRegistry({ tokens }),
      ]);
      image = testImage([randomBlob(100_000), randomBlob(20_000)]);
      await pushManifest({ base: source.base }, 'web', image, 'v1');
    }, 60_000);

    afterAll(async () => {
      await Promise.all([source?.stop(), secured?.stop()]);
      await tokens?.stop();
    });

    it('copies with credentials from the environment, then reports the copy up to date', async () => {
      const args = ['mirror', `${source.host}/web:v1`, `${secured.host}/copy/web`, '--insecure'];
      const env = { RAMPART_MIRROR_DEST_CREDS: 'ci:pa:ss' };
      const first = await runCli([...args, '--json', '--concurrency', '2'], { cwd: '/', env });
      expect(first.stderr).toContain('  copied   sha256:');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({
        source: `${source.host}/web:v1`,
        destination: `${secured.host}/copy/web`,
        digest: image.digest,
        skipped: false,
        blobsCopied: 3,
        blobsSkipped: 0,
        blobsMounted: 0,
        bytesCopied: image.blobs.reduce((sum, blob) => sum + blob.data.length, 0),
        manifestsPushed: 1,
      });
      expect(tokens.requests.every((r) => r.user === 'ci')).toBe(true);

      const again = await runCli(args, { cwd: '/', env });
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(`${secured.host}/copy/web is up to date (${image.digest})\n`);

      // The flag wins over the environment.
      const wrong = await runCli([...args, '--dest-creds', 'ci:wrong'], { cwd: '/', env });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('error REGISTRY_UNAUTHORIZED');
      expect(wrong.stderr).toContain('hint:');
    });

    it('copies into an anonymous registry and prints the summary', async () => {
      const result = await runCli(
        [
          'mirror',
          `${source.host}/web@${image.digest}`,
          `${source.host}/other/web:copy`,
          '--insecure',
        ],
        { cwd: '/' },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(
          `^mirrored .* \\(${image.digest}\\): 0 blobs copied \\(0 B\\), 3 mounted, 0 already there, 1 manifest pushed\\n$`,
        ),
      );
      const copied = await readManifest({ base: source.base }, 'other/web', 'copy');
      expect(copied.bytes.equals(image.bytes)).toBe(true);
    });
  },
);
