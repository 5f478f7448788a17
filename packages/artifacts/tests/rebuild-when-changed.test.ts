// rebuild_when_changed on a real git repository: the previous build is reused when no listed path
// changed and its copy is still in the bucket; a change under a listed path, a deleted copy, an
// unknown previous commit or a checkout without history make it build again, and the log says why.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { PreviousBuild } from '@rampart/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactBuilder } from '../src/index.js';
import { BUCKET, startBuildHarness, type BuildHarness } from './support/build-harness.js';

const params = {
  build_commands: 'cd src && zip -q -X -r ../site.zip .',
  file_path: 'site.zip',
};

describe('rebuild_when_changed', () => {
  let h: BuildHarness;
  let first: PreviousBuild;
  let docsOnly: string;

  beforeAll(async () => {
    h = await startBuildHarness();
    const commitA = await h.repo.commit({
      'src/index.html': 'v1\n',
      'docs/readme.md': 'one\n',
      '.gitignore': '*.zip\n',
    });
    const result = await createArtifactBuilder(h.options).build(
      h.request({ type: 'BUNDLE:BUILD', params, rebuildWhenChanged: ['src/'] }),
    );
    first = {
      deploymentId: 'deployment-1',
      revision: 1,
      commitSha: commitA,
      fields: result.fields,
    };
    docsOnly = await h.repo.commit({ 'docs/readme.md': 'two\n' });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  const build = (revision: number, previous: PreviousBuild | undefined, paths = ['src/']) => {
    const request = h.request(
      { type: 'BUNDLE:BUILD', params, rebuildWhenChanged: paths },
      { revision, ...(previous === undefined ? {} : { previous }) },
    );
    return { request, result: createArtifactBuilder(h.options).build(request) };
  };

  it('reuses the previous build when no listed path changed, and says so', async () => {
    const { request, result } = build(2, first);
    expect(await result).toEqual({
      fields: first.fields,
      reusedFrom: { revision: 1, commitSha: first.commitSha },
    });
    expect(request.captured.text()).toContain(
      `reusing the build of revision 1 (commit ${first.commitSha.slice(0, 7)}): nothing changed under src/`,
    );
  });

  it('builds again when a listed path changed, naming the files', async () => {
    const { request, result } = build(3, first, ['src/', 'docs']);
    const fields = (await result).fields;
    expect(fields.s3_key).toBe(`3-${docsOnly.slice(0, 7)}.zip`);
    expect(request.captured.text()).toContain('docs/readme.md; building');
  });

  it('builds again when the previous commit is unknown or there is no history', async () => {
    const unknown = build(4, { ...first, commitSha: 'f'.repeat(40) });
    expect((await unknown.result).reusedFrom).toBeUndefined();
    expect(unknown.request.captured.text()).toContain(
      'commit fffffff is not in the repository history; building',
    );

    const bare = join(h.work, 'no-history');
    await mkdir(bare, { recursive: true });
    const request = h.request(
      { type: 'BUNDLE:BUILD', params, rebuildWhenChanged: ['src/'] },
      { revision: 5, previous: first },
    );
    const result = await createArtifactBuilder({
      ...h.options,
      history: () => Promise.resolve(bare),
    }).build(request);
    expect(result.reusedFrom).toBeUndefined();
    expect(request.captured.text()).toContain('is not a git repository (no history); building');
  });

  it('builds again when the previous copy is gone, and when a listed path changed', async () => {
    await h.admin.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: first.fields.s3_key }));
    const gone = build(6, first);
    expect((await gone.result).fields.s3_key).toMatch(/^6-/);
    expect(gone.request.captured.text()).toContain('but its copy is gone; building');

    const previous = {
      ...first,
      revision: 6,
      fields: (await gone.result).fields,
      commitSha: docsOnly,
    };
    await h.repo.commit({ 'src/index.html': 'v2\n' });
    const changed = build(7, previous);
    const result = await changed.result;
    expect(result.reusedFrom).toBeUndefined();
    expect(result.fields.sha256).not.toBe(previous.fields.sha256);
    expect(changed.request.captured.text()).toContain(
      `changed under src/ since revision 6 (commit ${docsOnly.slice(0, 7)}): src/index.html; building`,
    );
  });
});
