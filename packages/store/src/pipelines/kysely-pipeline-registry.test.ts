import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS, useTestStore } from '../test-support/test-store.js';
import type { PipelineSourceKind } from './pipeline-registry.js';

describe.each(STORE_DIALECTS)('pipeline registry on $dialect', ({ dialect }) => {
  const t = useTestStore(dialect);

  it('registers a pipeline with the default branch main and reads it back', async () => {
    const registered = await t.store.pipelines.register({
      slug: 'web',
      sourceKind: 'path',
      location: '/srv/repos/web',
    });
    const expected = {
      slug: 'web',
      sourceKind: 'path',
      location: '/srv/repos/web',
      defaultBranch: 'main',
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
    };
    expect(registered).toEqual(expected);
    expect(await t.store.pipelines.get('web')).toEqual(expected);
    expect(await t.store.pipelines.get('api')).toBeUndefined();
  });

  it('lists pipelines by slug', async () => {
    for (const slug of ['web', 'api', 'batch-jobs']) {
      await t.store.pipelines.register({
        slug,
        sourceKind: 'git',
        location: `https://git.example/${slug}.git`,
        defaultBranch: 'trunk',
      });
    }
    const listed = await t.store.pipelines.list();
    expect(listed.map((p) => p.slug)).toEqual(['api', 'batch-jobs', 'web']);
    expect(listed.every((p) => p.defaultBranch === 'trunk' && p.sourceKind === 'git')).toBe(true);
  });

  it('refuses a slug that is already registered and keeps the first', async () => {
    await t.store.pipelines.register({ slug: 'web', sourceKind: 'path', location: '/a' });
    await expect(
      t.store.pipelines.register({ slug: 'web', sourceKind: 'git', location: 'https://b' }),
    ).rejects.toMatchObject({
      code: 'STORE_PIPELINE_EXISTS',
      message: expect.stringContaining('"web"') as unknown,
    });
    expect((await t.store.pipelines.get('web'))?.location).toBe('/a');
  });

  it('updates the given fields and the update time only', async () => {
    await t.store.pipelines.register({ slug: 'web', sourceKind: 'path', location: '/a' });
    t.clock.advance(1000);
    const updated = await t.store.pipelines.update('web', {
      sourceKind: 'git',
      location: 'https://git.example/web.git',
    });
    expect(updated).toEqual({
      slug: 'web',
      sourceKind: 'git',
      location: 'https://git.example/web.git',
      defaultBranch: 'main',
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:01.000Z',
    });
    expect(await t.store.pipelines.get('web')).toEqual(updated);
    expect((await t.store.pipelines.update('web', { defaultBranch: 'release' }))?.location).toBe(
      'https://git.example/web.git',
    );
    expect(await t.store.pipelines.update('missing', { location: '/x' })).toBeUndefined();
    expect(await t.store.pipelines.list()).toHaveLength(1);
  });

  it('removes a pipeline once', async () => {
    await t.store.pipelines.register({ slug: 'web', sourceKind: 'path', location: '/a' });
    expect(await t.store.pipelines.remove('web')).toBe(true);
    expect(await t.store.pipelines.remove('web')).toBe(false);
    expect(await t.store.pipelines.get('web')).toBeUndefined();
    // The slug is free again.
    await t.store.pipelines.register({ slug: 'web', sourceKind: 'git', location: 'https://b' });
    expect((await t.store.pipelines.get('web'))?.sourceKind).toBe('git');
  });

  it('refuses an unknown source kind and empty fields', async () => {
    const bad = [
      { slug: 'web', sourceKind: 'svn' as PipelineSourceKind, location: '/a' },
      { slug: '', sourceKind: 'path' as const, location: '/a' },
      { slug: 'web', sourceKind: 'path' as const, location: '' },
      { slug: 'web', sourceKind: 'path' as const, location: '/a', defaultBranch: '' },
    ];
    for (const registration of bad) {
      await expect(t.store.pipelines.register(registration)).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
    }
    await t.store.pipelines.register({ slug: 'web', sourceKind: 'path', location: '/a' });
    await expect(
      t.store.pipelines.update('web', { sourceKind: 'ftp' as PipelineSourceKind }),
    ).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED' });
    expect(await t.store.pipelines.list()).toHaveLength(1);
  });
});
