// BUNDLE:BUILD against the sandbox's S3 with IAM enforced (a build role allowed exactly the CI/CD
// bucket): bash commands with the artifact's env write a zip that is uploaded with its SHA-256;
// a re-run keeps it; a missing file, a non-zip and a failing command are clear errors quoting the
// log; an abort kills the command's process group; secret markers are refused or resolved.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactBuilder, SHA256_METADATA_KEY } from '../src/index.js';
import {
  BUCKET,
  rejection,
  startBuildHarness,
  type BuildHarness,
} from './support/build-harness.js';

const ZIP = 'zip -q -X site.zip index.html';

/** Whether `pid` runs; a zombie has exited (PID 1 of some containers never reaps orphans). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('BUNDLE:BUILD', () => {
  let h: BuildHarness;

  beforeAll(async () => {
    h = await startBuildHarness();
    await h.repo.commit({ 'index.html': '<h1>hello</h1>\n', '.gitignore': '*.zip\n' });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('runs the commands with the env from the repository root and uploads the zip with its sha256', async () => {
    const builder = createArtifactBuilder(h.options);
    const request = h.request({
      type: 'BUNDLE:BUILD',
      params: {
        build_commands: [
          'echo "greeting=$GREETING in $(basename "$PWD") rev $RAMPART_REVISION"',
          ZIP,
        ],
        file_path: 'site.zip',
        env: { GREETING: 'hi there' },
      },
    });
    const result = await builder.build(request);
    const zip = await readFile(join(h.repo.dir, 'site.zip'));
    const sha256 = createHash('sha256').update(zip).digest('hex');
    const key = `1-${request.commitSha.slice(0, 7)}.zip`;
    expect(result).toEqual({
      fields: { s3_url: `s3://${BUCKET}/${key}`, s3_bucket: BUCKET, s3_key: key, sha256 },
    });
    expect(request.captured.lines).toContainEqual({
      text: 'greeting=hi there in repo rev 1',
      stream: 'stdout',
    });
    const head = await h.admin.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.Metadata?.[SHA256_METADATA_KEY]).toBe(sha256);
    const object = await h.admin.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(zip)).toBe(true);

    // The same request again (a re-run after a crash) keeps the stored bundle, runs nothing.
    const again = h.request(
      { type: 'BUNDLE:BUILD', params: { build_commands: 'exit 7', file_path: 'site.zip' } },
      { deploymentId: request.deploymentId },
    );
    expect(await builder.build(again)).toEqual(result);
    expect(again.captured.text()).toContain('already stored');
  });

  it('refuses a missing file_path and one that is not a zip', async () => {
    const builder = createArtifactBuilder(h.options);
    const missing = await rejection(
      builder.build(
        h.request(
          { type: 'BUNDLE:BUILD', params: { build_commands: 'true', file_path: 'nowhere.zip' } },
          { revision: 2 },
        ),
      ),
    );
    expect(missing.code).toBe('ARTIFACT_BUNDLE_MISSING');
    expect(missing.message).toContain('"nowhere.zip" does not exist');

    const notZip = await rejection(
      builder.build(
        h.request(
          {
            type: 'BUNDLE:BUILD',
            params: { build_commands: 'tar -cf site.tar index.html', file_path: 'site.tar' },
          },
          { revision: 3 },
        ),
      ),
    );
    expect(notZip.code).toBe('ARTIFACT_BUNDLE_NOT_ZIP');

    const outside = await rejection(
      builder.build(
        h.request(
          { type: 'BUNDLE:BUILD', params: { build_commands: 'true', file_path: '../x.zip' } },
          { revision: 4 },
        ),
      ),
    );
    expect(outside.code).toBe('ARTIFACT_PARAMS_INVALID');
  });

  it('fails with the last 20 log lines when a command fails, and skips the commands after it', async () => {
    const builder = createArtifactBuilder(h.options);
    const error = await rejection(
      builder.build(
        h.request(
          {
            type: 'BUNDLE:BUILD',
            params: {
              build_commands: ['for i in $(seq 1 30); do echo "line $i"; done; exit 3', ZIP],
              file_path: 'site.zip',
            },
          },
          { revision: 5 },
        ),
      ),
    );
    expect(error.code).toBe('ARTIFACT_BUILD_FAILED');
    expect(error.message).toContain('build command 1 of 2 failed (exit code 3)');
    expect(error.message).toMatch(/^line 11$/m);
    expect(error.message).toMatch(/^line 30$/m);
    expect(error.message).not.toMatch(/^line 10$/m);
  });

  it('kills the whole process group when the build is aborted', async () => {
    const builder = createArtifactBuilder({ ...h.options, killGraceMs: 1000 });
    const controller = new AbortController();
    const pidFile = join(h.work, 'child.pid');
    const request = h.request(
      {
        type: 'BUNDLE:BUILD',
        params: {
          // A background child in the same group: it must die with the shell.
          build_commands: `sleep 300 & echo $! > ${pidFile}; echo started; wait`,
          file_path: 'site.zip',
        },
      },
      {
        revision: 6,
        signal: controller.signal,
        log: (text) => {
          if (text === 'started') controller.abort();
        },
      },
    );
    const error = await rejection(builder.build(request));
    expect(error.code).toBe('ARTIFACT_BUILD_CANCELLED');
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(false);
  });

  it('refuses secret markers without a resolver, and hides resolved values from the log', async () => {
    const params = {
      build_commands: ['echo "token is $TOKEN"', ZIP],
      file_path: 'site.zip',
      env: { TOKEN: '[SECRET:NPM_TOKEN]' },
    };
    const refused = await rejection(
      createArtifactBuilder(h.options).build(
        h.request({ type: 'BUNDLE:BUILD', params }, { revision: 7 }),
      ),
    );
    expect(refused.code).toBe('ARTIFACT_SECRETS_UNSUPPORTED');
    expect(refused.message).toContain('[SECRET:NPM_TOKEN]');

    const asked: string[][] = [];
    const builder = createArtifactBuilder({
      ...h.options,
      resolveSecrets: (markers) => {
        asked.push([...markers]);
        return Promise.resolve({ '[SECRET:NPM_TOKEN]': 's3cr3t-value' });
      },
    });
    const request = h.request({ type: 'BUNDLE:BUILD', params }, { revision: 8 });
    await builder.build(request);
    expect(asked).toEqual([['[SECRET:NPM_TOKEN]']]);
    expect(request.captured.text()).toContain('token is ***');
    expect(request.captured.text()).not.toContain('s3cr3t-value');
  });

  it('fails with ARTIFACT_STORE_FAILED when the role may not write the bucket', async () => {
    const request = h.request(
      { type: 'BUNDLE:BUILD', params: { build_commands: ZIP, file_path: 'site.zip' } },
      { revision: 9 },
    );
    request.artifact.destination = { ...request.artifact.destination, bucket: 'someone-elses' };
    const error = await rejection(createArtifactBuilder(h.options).build(request));
    expect(error.code).toBe('ARTIFACT_STORE_FAILED');
    expect(error.message).toContain('s3://someone-elses/9-');
    expect(existsSync(join(h.repo.dir, 'site.zip'))).toBe(true);
  });
});
