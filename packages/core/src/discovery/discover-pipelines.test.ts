import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RampartError } from '../errors/index.js';
import { validateRepository } from '../model/validate-pipeline.js';
import {
  MINIMAL_PIPELINE,
  codes,
  codesAt,
  ignoresFilePermissions,
  makeTempRepo,
  removeTempRepos,
} from '../test-support/pipeline-fixtures.js';
import { discoverPipelines } from './discover-pipelines.js';
import type { FileSystem } from './file-system.js';
import { nodeFileSystem } from './node-file-system.js';

afterEach(removeTempRepos);

const rootIgnoresPermissions = ignoresFilePermissions();

async function rejection(promise: Promise<unknown>): Promise<RampartError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('expected a RampartError');
}

/** nodeFileSystem, except that reading `denied` fails as a permission error would. */
function denyingFileSystem(denied: string): FileSystem {
  const eacces = () =>
    Object.assign(new Error(`EACCES: permission denied, open '${denied}'`), { code: 'EACCES' });
  return {
    stat: (p) => nodeFileSystem.stat(p),
    readDir: (p) => (p === denied ? Promise.reject(eacces()) : nodeFileSystem.readDir(p)),
    readFile: (p, limit) =>
      p === denied ? Promise.reject(eacces()) : nodeFileSystem.readFile(p, limit),
  };
}

describe('discoverPipelines: where pipelines live', () => {
  it('finds .rampart/<slug>/pipeline.yaml and .yml, and .devramps/<slug>/pipeline.yaml; the folder is the slug', async () => {
    const root = makeTempRepo({
      '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/api/pipeline.yml': MINIMAL_PIPELINE,
      '.devramps/legacy/pipeline.yaml': MINIMAL_PIPELINE,
    });
    const d = await discoverPipelines(root, nodeFileSystem);
    expect(d.diagnostics.items).toEqual([]);
    // .rampart first, each folder's slugs in name order.
    expect(d.pipelines).toEqual([
      { slug: 'api', folder: '.rampart', file: join(root, '.rampart/api/pipeline.yml') },
      { slug: 'web', folder: '.rampart', file: join(root, '.rampart/web/pipeline.yaml') },
      { slug: 'legacy', folder: '.devramps', file: join(root, '.devramps/legacy/pipeline.yaml') },
    ]);
  });

  it('ignores folders without a pipeline file and stray files', async () => {
    const root = makeTempRepo({
      '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/empty/': '',
      '.rampart/docs/README.md': '# notes',
      '.rampart/pipeline.yaml': MINIMAL_PIPELINE,
      'pipeline.yaml': MINIMAL_PIPELINE,
    });
    const d = await discoverPipelines(root, nodeFileSystem);
    expect(d.pipelines.map((p) => p.slug)).toEqual(['web']);
  });

  it('a slug in both .rampart/ and .devramps/ is DUPLICATE_SLUG; the .rampart one is kept', async () => {
    const root = makeTempRepo({
      '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE,
      '.devramps/web/pipeline.yaml': MINIMAL_PIPELINE,
    });
    const d = await discoverPipelines(root, nodeFileSystem);
    expect(d.pipelines.map((p) => p.file)).toEqual([join(root, '.rampart/web/pipeline.yaml')]);
    const [e] = d.diagnostics.items;
    expect(e).toMatchObject({
      code: 'DUPLICATE_SLUG',
      severity: 'error',
      file: join(root, '.devramps/web/pipeline.yaml'),
      line: 1,
      column: 1,
    });
    expect(e?.message).toBe('pipeline "web" exists in both .rampart/ and .devramps/');
    expect(e?.hint).toContain(join(root, '.rampart/web/pipeline.yaml'));

    const v = await validateRepository(root, nodeFileSystem);
    expect(v.valid).toBe(false);
    expect(codes(v.diagnostics)).toEqual(['DUPLICATE_SLUG']);
  });

  it('both pipeline.yaml and pipeline.yml in one folder is DUPLICATE_SLUG; pipeline.yaml is read', async () => {
    const root = makeTempRepo({
      '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/web/pipeline.yml': MINIMAL_PIPELINE,
    });
    const d = await discoverPipelines(root, nodeFileSystem);
    expect(d.pipelines.map((p) => p.file)).toEqual([join(root, '.rampart/web/pipeline.yaml')]);
    expect(d.diagnostics.items).toHaveLength(1);
    expect(d.diagnostics.items[0]).toMatchObject({
      code: 'DUPLICATE_SLUG',
      file: join(root, '.rampart/web/pipeline.yml'),
    });
    expect(d.diagnostics.items[0]?.message).toContain('pipeline.yaml and pipeline.yml');
  });

  it('a folder name that is not a slug is SLUG_INVALID with a suggested name', async () => {
    const root = makeTempRepo({ '.rampart/My_Service/pipeline.yaml': MINIMAL_PIPELINE });
    const v = await validateRepository(root, nodeFileSystem);
    expect(v.valid).toBe(false);
    expect(codesAt(v.diagnostics)).toEqual(['SLUG_INVALID@1:1']);
    expect(v.diagnostics[0]?.message).toContain('"My_Service"');
    expect(v.diagnostics[0]?.hint).toContain('"my-service"');
    // The pipeline itself is still checked.
    expect(v.pipelines).toHaveLength(1);
    expect(v.pipelines[0]?.errors).toEqual([]);
  });

  it('no pipelines under the path: NO_PIPELINES thrown as a user RampartError with a fix', async () => {
    const root = makeTempRepo({ 'README.md': '# hi', '.rampart/empty/': '' });
    const e = await rejection(validateRepository(root, nodeFileSystem));
    expect(e.code).toBe('NO_PIPELINES');
    expect(e.source).toBe('user');
    expect(e.message).toContain(root);
    expect(e.hint).toContain('.rampart/<slug>/pipeline.yaml');
  });

  it('a missing path: FILE_NOT_FOUND thrown', async () => {
    const root = makeTempRepo({});
    const e = await rejection(validateRepository(join(root, 'nope'), nodeFileSystem));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toBe(`${join(root, 'nope')} does not exist`);
  });
});

describe('discoverPipelines: a path that is a pipeline file', () => {
  it('validates just that file; the slug is its folder name', async () => {
    const root = makeTempRepo({
      '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/api/pipeline.yaml': MINIMAL_PIPELINE,
    });
    const file = join(root, '.rampart/web/pipeline.yaml');
    const v = await validateRepository(file, nodeFileSystem);
    expect(v.valid).toBe(true);
    expect(v.pipelines.map((p) => p.source)).toEqual([{ slug: 'web', folder: '.rampart', file }]);
    expect(v.pipelines[0]?.model?.slug).toBe('web');
  });

  it('knows a file under .devramps/', async () => {
    const root = makeTempRepo({ '.devramps/shop/pipeline.yaml': MINIMAL_PIPELINE });
    const d = await discoverPipelines(join(root, '.devramps/shop/pipeline.yaml'), nodeFileSystem);
    expect(d.pipelines[0]).toMatchObject({ slug: 'shop', folder: '.devramps' });
  });

  it('reports a folder name that is not a slug', async () => {
    const root = makeTempRepo({ 'ops/Deploy Me/pipeline.yaml': MINIMAL_PIPELINE });
    const d = await discoverPipelines(join(root, 'ops/Deploy Me/pipeline.yaml'), nodeFileSystem);
    expect(codes(d.diagnostics.items)).toEqual(['SLUG_INVALID']);
    expect(d.diagnostics.items[0]?.hint).toContain('"deploy-me"');
  });

  it('a pipeline.yaml path that is a directory is FILE_IS_DIRECTORY', async () => {
    const root = makeTempRepo({ '.rampart/web/pipeline.yaml/': '' });
    const e = await rejection(
      validateRepository(join(root, '.rampart/web/pipeline.yaml'), nodeFileSystem),
    );
    expect(e.code).toBe('FILE_IS_DIRECTORY');
  });
});

describe('discoverPipelines: files that cannot be read', () => {
  it('pipeline.yaml that is a directory: FILE_IS_DIRECTORY on that pipeline, no throw', async () => {
    const root = makeTempRepo({
      '.rampart/web/pipeline.yaml/': '',
      '.rampart/api/pipeline.yaml': MINIMAL_PIPELINE,
    });
    const v = await validateRepository(root, nodeFileSystem);
    expect(v.valid).toBe(false);
    const web = v.pipelines.find((p) => p.source.slug === 'web');
    expect(codesAt(web?.errors ?? [])).toEqual(['FILE_IS_DIRECTORY@1:1']);
    expect(web?.errors[0]?.file).toBe(join(root, '.rampart/web/pipeline.yaml'));
    expect(web?.errors[0]?.hint).toBeDefined();
    expect(v.pipelines.find((p) => p.source.slug === 'api')?.errors).toEqual([]);
  });

  it('a read refused by the file system: FILE_UNREADABLE on that pipeline with a chmod hint', async () => {
    const root = makeTempRepo({ '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE });
    const file = join(root, '.rampart/web/pipeline.yaml');
    const v = await validateRepository(root, denyingFileSystem(file));
    expect(codesAt(v.pipelines[0]?.errors ?? [])).toEqual(['FILE_UNREADABLE@1:1']);
    expect(v.pipelines[0]?.errors[0]?.message).toContain('permission denied');
    expect(v.pipelines[0]?.errors[0]?.hint).toContain(`chmod u+r ${file}`);
  });

  it('an unreadable .rampart folder: FILE_UNREADABLE thrown', async () => {
    const root = makeTempRepo({ '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE });
    const e = await rejection(validateRepository(root, denyingFileSystem(join(root, '.rampart'))));
    expect(e.code).toBe('FILE_UNREADABLE');
  });

  it.skipIf(rootIgnoresPermissions)('a pipeline.yaml with mode 000: FILE_UNREADABLE', async () => {
    const root = makeTempRepo({ '.rampart/web/pipeline.yaml': MINIMAL_PIPELINE });
    const file = join(root, '.rampart/web/pipeline.yaml');
    chmodSync(file, 0o000);
    const v = await validateRepository(root, nodeFileSystem);
    chmodSync(file, 0o600);
    expect(v.valid).toBe(false);
    expect(codesAt(v.pipelines[0]?.errors ?? [])).toEqual(['FILE_UNREADABLE@1:1']);
  });
});

describe('discoverPipelines: additional IAM policy files', () => {
  const policy = '[{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]';

  it('finds aws_additional_iam_policies.yaml (and .yml) beside the pipeline', async () => {
    const root = makeTempRepo({
      '.rampart/a/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/a/aws_additional_iam_policies.yaml': policy,
      '.rampart/b/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/b/aws_additional_iam_policies.yml': policy,
      '.rampart/c/pipeline.yaml': MINIMAL_PIPELINE,
    });
    const d = await discoverPipelines(root, nodeFileSystem);
    expect(d.pipelines.map((p) => p.policyFile)).toEqual([
      join(root, '.rampart/a/aws_additional_iam_policies.yaml'),
      join(root, '.rampart/b/aws_additional_iam_policies.yml'),
      undefined,
    ]);
  });

  it('.json wins over .yaml, with a warning naming both files', async () => {
    const root = makeTempRepo({
      '.rampart/a/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/a/aws_additional_iam_policies.json': policy,
      // Not even valid: it must not be read at all.
      '.rampart/a/aws_additional_iam_policies.yaml': '- : : [',
    });
    const v = await validateRepository(root, nodeFileSystem);
    expect(v.valid).toBe(true);
    const p = v.pipelines[0];
    expect(p?.source.policyFile).toBe(join(root, '.rampart/a/aws_additional_iam_policies.json'));
    expect(p?.errors).toEqual([]);
    expect(p?.warnings).toHaveLength(1);
    expect(p?.warnings[0]).toMatchObject({
      severity: 'warning',
      file: join(root, '.rampart/a/aws_additional_iam_policies.yaml'),
      line: 1,
      column: 1,
    });
    expect(p?.warnings[0]?.message).toContain('is ignored because');
    expect(p?.warnings[0]?.message).toContain('aws_additional_iam_policies.json');
    expect(p?.model?.policies).toHaveLength(1);
  });
});
