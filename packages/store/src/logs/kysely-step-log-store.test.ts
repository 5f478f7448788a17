import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS, useTestStore } from '../test-support/test-store.js';
import type { NewStepLogLine } from './step-log-store.js';

const line = (text: string, extra: Partial<NewStepLogLine> = {}): NewStepLogLine => ({
  pipelineId: 'web',
  deploymentId: 'web:1',
  stage: 'staging',
  step: 'Migrate',
  commandId: 'web:1/0/r1/s0/c1',
  at: '2030-01-01T00:00:01Z',
  stream: 'stdout',
  text,
  ...extra,
});

describe.each(STORE_DIALECTS)('step logs on $dialect', ({ dialect }) => {
  const t = useTestStore(dialect);

  it('numbers a batch in order and reads it back with every field', async () => {
    const logs = t.store.stepLogs;
    expect(await logs.append([line('one'), line('two', { stream: 'stderr' })])).toEqual([1, 2]);
    expect(await logs.append([line('three', { deploymentId: undefined, stream: 'info' })])).toEqual(
      [3],
    );
    expect(await logs.append([])).toEqual([]);
    const read = await logs.read({});
    expect(read).toEqual([
      { ...line('one'), seq: 1, at: '2030-01-01T00:00:01.000Z' },
      { ...line('two', { stream: 'stderr' }), seq: 2, at: '2030-01-01T00:00:01.000Z' },
      {
        pipelineId: 'web',
        stage: 'staging',
        step: 'Migrate',
        commandId: 'web:1/0/r1/s0/c1',
        at: '2030-01-01T00:00:01.000Z',
        stream: 'info',
        text: 'three',
        seq: 3,
      },
    ]);
  });

  it('filters by pipeline, deployment, stage and step, resumes after a seq, and pages', async () => {
    const logs = t.store.stepLogs;
    await logs.append([
      line('a'),
      line('b', { step: 'Deploy' }),
      line('c', { stage: 'prod' }),
      line('d', { deploymentId: 'web:2' }),
      line('e', { pipelineId: 'api', deploymentId: 'api:1' }),
      line('f'),
    ]);
    const texts = async (query: Parameters<typeof logs.read>[0]) =>
      (await logs.read(query)).map((l) => l.text).join('');
    expect(await texts({ deploymentId: 'web:1' })).toBe('abcf');
    expect(await texts({ deploymentId: 'web:1', stage: 'staging' })).toBe('abf');
    expect(await texts({ deploymentId: 'web:1', stage: 'staging', step: 'Migrate' })).toBe('af');
    expect(await texts({ pipelineId: 'web' })).toBe('abcdf');
    expect(await texts({ deploymentId: 'web:1', afterSeq: 2 })).toBe('cf');
    expect(await texts({ deploymentId: 'web:1', limit: 2 })).toBe('ab');
  });

  it('two stores on one database never hand out the same number', async () => {
    const other = await t.openAnother();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? t.store : other).stepLogs.append([line(`x${i}`), line(`y${i}`)]),
      ),
    );
    expect(results.flat().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    for (const seqs of results) expect(seqs[1]).toBe((seqs[0] ?? 0) + 1);
  });

  it('refuses U+0000, a bad stream or time, and stores nothing of the batch', async () => {
    const logs = t.store.stepLogs;
    await expect(logs.append([line('ok'), line('bad\u0000')])).rejects.toMatchObject({
      code: 'STORE_VALUE_UNSUPPORTED',
      message: expect.stringContaining('lines[1].text') as unknown,
    });
    await expect(
      logs.append([line('x', { stream: 'stdin' as NewStepLogLine['stream'] })]),
    ).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED' });
    await expect(logs.append([line('x', { at: 'yesterday' })])).rejects.toMatchObject({
      code: 'STORE_VALUE_UNSUPPORTED',
    });
    expect(await logs.read({})).toEqual([]);
    expect(await logs.append([line('after')])).toEqual([1]);
  });
});
