import { describe, expect, it } from 'vitest';
import { StoreConflictError, type EngineCommit } from '../ports/engine-store.js';
import { ManualClock } from './manual-clock.js';
import { MemoryEngineStore } from './memory-engine-store.js';

function commit(overrides: Partial<EngineCommit> = {}): EngineCommit {
  return {
    pipelineId: 'p1',
    expectedVersion: 0,
    state: { n: 1 },
    events: [],
    commands: [],
    ...overrides,
  };
}

describe('MemoryEngineStore (the EngineStore contract)', () => {
  it('versions the state and refuses a stale expected version', async () => {
    const store = new MemoryEngineStore(new ManualClock());
    expect(await store.loadPipeline('p1')).toBeUndefined();
    expect((await store.commit(commit())).version).toBe(1);
    await expect(store.commit(commit({ state: { n: 2 } }))).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    expect((await store.commit(commit({ expectedVersion: 1, state: { n: 2 } }))).version).toBe(2);
    expect(await store.loadPipeline('p1')).toMatchObject({ version: 2, state: { n: 2 } });
    expect(await store.listPipelineIds()).toEqual(['p1']);
  });

  it('keeps its own copies', async () => {
    const store = new MemoryEngineStore(new ManualClock());
    const state = { list: [1] };
    await store.commit(commit({ state }));
    state.list.push(2);
    expect((await store.loadPipeline('p1'))?.state).toEqual({ list: [1] });
  });

  it('enqueues a command id once, even from a later commit', async () => {
    const store = new MemoryEngineStore(new ManualClock());
    await store.commit(commit({ commands: [{ id: 'c1', type: 't', payload: { v: 1 } }] }));
    await store.commit(
      commit({ expectedVersion: 1, commands: [{ id: 'c1', type: 't', payload: { v: 2 } }] }),
    );
    expect(store.allCommands()).toEqual([expect.objectContaining({ id: 'c1', payload: { v: 1 } })]);
  });

  it('claims due commands oldest first, leases them, and lets expired leases go', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const store = new MemoryEngineStore(clock);
    await store.commit(
      commit({
        commands: [
          { id: 'late', type: 't', payload: null, dueAt: '2026-01-01T00:01:00Z' },
          { id: 'now', type: 't', payload: null },
        ],
      }),
    );
    const now = clock.now().toISOString();
    const first = await store.claimCommands({ owner: 'a', now, leaseMs: 1000, limit: 10 });
    expect(first.map((c) => [c.id, c.attempts, c.leaseOwner])).toEqual([['now', 1, 'a']]);
    expect(await store.claimCommands({ owner: 'b', now, leaseMs: 1000, limit: 10 })).toEqual([]);
    const later = '2026-01-01T00:01:00.000Z';
    const second = await store.claimCommands({ owner: 'b', now: later, leaseMs: 1000, limit: 10 });
    expect(second.map((c) => [c.id, c.attempts, c.leaseOwner])).toEqual([
      ['now', 2, 'b'],
      ['late', 1, 'b'],
    ]);
    expect(await store.renewLeases('a', ['now'], later)).toEqual(['now']);
    expect(await store.renewLeases('b', ['now'], '2026-01-01T00:05:00.000Z')).toEqual([]);
    await store.releaseCommand('a', 'late');
    expect(store.allCommands().find((c) => c.id === 'late')?.leaseOwner).toBe('b');
    await store.releaseCommand('b', 'late');
    const third = await store.claimCommands({ owner: 'c', now: later, leaseMs: 1000, limit: 1 });
    expect(third.map((c) => c.id)).toEqual(['late']);
  });

  it('marks completed commands done in the commit and never hands them out again', async () => {
    const clock = new ManualClock();
    const store = new MemoryEngineStore(clock);
    await store.commit(commit({ commands: [{ id: 'c1', type: 't', payload: null }] }));
    const now = clock.now().toISOString();
    await store.claimCommands({ owner: 'a', now, leaseMs: 10, limit: 5 });
    await store.commit(commit({ expectedVersion: 1, completedCommandIds: ['c1'] }));
    clock.advance(1000);
    expect(
      await store.claimCommands({
        owner: 'a',
        now: clock.now().toISOString(),
        leaseMs: 10,
        limit: 5,
      }),
    ).toEqual([]);
    expect(store.allCommands()[0]?.status).toBe('done');
  });

  it('numbers events, filters them, and lists deployment rows newest first', async () => {
    const store = new MemoryEngineStore(new ManualClock());
    const row = (revision: number, status: string) => ({
      id: `p1:${revision}`,
      pipelineId: 'p1',
      revision,
      commitSha: 'x',
      status,
      trigger: 'api',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    const result = await store.commit(
      commit({
        events: [
          { type: 'a', at: 'x', deploymentId: 'p1:1' },
          { type: 'b', at: 'x' },
        ],
        deployments: [row(1, 'running'), row(2, 'failed')],
      }),
    );
    expect(result.eventSeqs).toEqual([1, 2]);
    expect((await store.listEvents({ deploymentId: 'p1:1' })).map((e) => e.type)).toEqual(['a']);
    expect((await store.listEvents({ afterSeq: 1 })).map((e) => e.type)).toEqual(['b']);
    expect((await store.listDeployments({ pipelineId: 'p1' })).map((d) => d.revision)).toEqual([
      2, 1,
    ]);
    expect((await store.listDeployments({ status: 'failed' })).map((d) => d.revision)).toEqual([2]);
    expect((await store.listDeployments({ beforeRevision: 2 })).map((d) => d.revision)).toEqual([
      1,
    ]);
    expect(await store.getDeployment('p1:2')).toMatchObject({ status: 'failed' });
  });

  it('keeps an effect journal per key', async () => {
    const store = new MemoryEngineStore(new ManualClock());
    expect(await store.getEffects('k')).toEqual({});
    await store.putEffect('k', 'a', 1);
    await store.putEffect('k', 'b', { x: true });
    expect(await store.getEffects('k')).toEqual({ a: 1, b: { x: true } });
    expect(await store.getEffects('other')).toEqual({});
  });
});

describe('ManualClock', () => {
  it('resolves waits only when advanced past them, or when aborted', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const order: string[] = [];
    const late = clock.waitUntil(new Date('2026-01-01T00:00:10Z')).then(() => order.push('late'));
    const early = clock.waitUntil(new Date('2026-01-01T00:00:05Z')).then(() => order.push('early'));
    const abort = new AbortController();
    const aborted = clock
      .waitUntil(new Date('2027-01-01T00:00:00Z'), abort.signal)
      .then(() => order.push('aborted'));
    await Promise.resolve();
    expect(order).toEqual([]);
    clock.advance(5000);
    await early;
    expect(order).toEqual(['early']);
    abort.abort();
    await aborted;
    clock.set('2026-01-01T00:00:10Z');
    await late;
    expect(order).toEqual(['early', 'aborted', 'late']);
    expect(clock.pending).toBe(0);
    expect(() => clock.set('2025-01-01T00:00:00Z')).toThrow(/cannot go back/);
  });
});
