import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepLogLine } from '@rampart/engine';
import { openStore, type RampartStore, type StepLogStore } from '@rampart/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeFeed } from './change-feed.js';
import { StoredStepLogSink } from './stored-step-log-sink.js';

const line = (text: string): StepLogLine => ({
  commandId: 'web:1/0/r1/s0/c1',
  pipelineId: 'web',
  deploymentId: 'web:1',
  stage: 'staging',
  step: 'Build',
  at: '2030-01-01T00:00:00.000Z',
  stream: 'stdout',
  text,
});

describe('StoredStepLogSink', () => {
  let dir: string;
  let store: RampartStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-log-sink-'));
    store = await openStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores lines in order in batches, wakes the feed, and keeps text the store would refuse', async () => {
    const feed = new ChangeFeed();
    const sink = new StoredStepLogSink({
      store: store.stepLogs,
      feed,
      maxBatch: 2,
      flushIntervalMs: 60_000,
    });
    sink.write(line('one'));
    sink.write(line('two\u0000'));
    sink.write(line('three \uD800'));
    await sink.flush();
    const stored = await store.stepLogs.read({ deploymentId: 'web:1' });
    expect(stored.map((l) => [l.seq, l.text])).toEqual([
      [1, 'one'],
      [2, 'two\uFFFD'],
      [3, 'three \uFFFD'],
    ]);
    // A full batch and the final flush: two stored batches, two wake-ups.
    expect(feed.version).toBe(2);
  });

  it('a batch the store refuses is reported and dropped; later lines still go in', async () => {
    const refused: number[] = [];
    const failing: StepLogStore = {
      append: () => Promise.reject(new Error('disk full')),
      read: (query) => store.stepLogs.read(query),
    };
    const sink = new StoredStepLogSink({
      store: failing,
      feed: new ChangeFeed(),
      onError: (_error, lines) => refused.push(lines),
    });
    sink.write(line('lost'));
    sink.write(line('lost too'));
    await sink.flush();
    expect(refused).toEqual([2]);
    await sink.flush();
    expect(refused).toEqual([2]);
  });
});
