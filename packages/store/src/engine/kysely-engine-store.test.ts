import { isRampartError } from '@rampart/core';
import { StoreConflictError } from '@rampart/engine';
import type { EngineCommit, JsonValue, NewEngineCommand, NewEngineEvent } from '@rampart/engine';
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS, useTestStore } from '../test-support/test-store.js';

const T0 = '2030-01-01T00:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function event(type: string, extra: Partial<NewEngineEvent> = {}): NewEngineEvent {
  return { type, at: T0, ...extra };
}

function command(id: string, extra: Partial<NewEngineCommand> = {}): NewEngineCommand {
  return { id, type: 'run-step', payload: { id }, ...extra };
}

function commit(
  pipelineId: string,
  expectedVersion: number,
  extra: Partial<EngineCommit> = {},
): EngineCommit {
  return {
    pipelineId,
    expectedVersion,
    state: { v: expectedVersion + 1 },
    events: [],
    commands: [],
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.each(STORE_DIALECTS)('engine store on $dialect', ({ dialect }) => {
  const t = useTestStore(dialect);

  describe('state documents', () => {
    it('has nothing for an unknown pipeline', async () => {
      expect(await t.store.engine.loadPipeline('web')).toBeUndefined();
      expect(await t.store.engine.listPipelineIds()).toEqual([]);
    });

    it('creates version 1 on the first commit and counts up', async () => {
      const first = await t.store.engine.commit(commit('web', 0, { state: { stage: 'a' } }));
      expect(first).toEqual({ version: 1, eventSeqs: [] });
      t.clock.advance(1500);
      const second = await t.store.engine.commit(commit('web', 1, { state: { stage: 'b' } }));
      expect(second.version).toBe(2);
      expect(await t.store.engine.loadPipeline('web')).toEqual({
        pipelineId: 'web',
        version: 2,
        state: { stage: 'b' },
        updatedAt: '2030-01-01T00:00:01.500Z',
      });
    });

    it('lists pipeline ids in order', async () => {
      for (const id of ['web', 'api', 'batch']) await t.store.engine.commit(commit(id, 0));
      expect(await t.store.engine.listPipelineIds()).toEqual(['api', 'batch', 'web']);
    });

    it('refuses a first commit when the pipeline already has state, and keeps none of it', async () => {
      await t.store.engine.commit(commit('web', 0, { state: 'kept' }));
      const error = await rejection(
        t.store.engine.commit(
          commit('web', 0, {
            state: 'lost',
            events: [event('lost')],
            commands: [command('c-lost')],
          }),
        ),
      );
      expect(error).toBeInstanceOf(StoreConflictError);
      expect(error).toMatchObject({ pipelineId: 'web', expectedVersion: 0, actualVersion: 1 });
      expect((await t.store.engine.loadPipeline('web'))?.state).toBe('kept');
      expect(await t.store.engine.listEvents({})).toEqual([]);
      expect(await t.store.engine.getCommand('c-lost')).toBeUndefined();
    });

    it('refuses a stale version and a version the pipeline never had', async () => {
      await t.store.engine.commit(commit('web', 0));
      await t.store.engine.commit(commit('web', 1));
      await expect(t.store.engine.commit(commit('web', 1))).rejects.toMatchObject({
        name: 'StoreConflictError',
        expectedVersion: 1,
        actualVersion: 2,
      });
      await expect(t.store.engine.commit(commit('web', 5))).rejects.toMatchObject({
        actualVersion: 2,
      });
      await expect(t.store.engine.commit(commit('new', 3))).rejects.toMatchObject({
        pipelineId: 'new',
        actualVersion: 0,
      });
      expect(await t.store.engine.loadPipeline('new')).toBeUndefined();
    });

    it('lets exactly one of two servers win each race on the same version', async () => {
      const other = await t.openAnother();
      const pipelines = Array.from({ length: 12 }, (_, i) => `p${i}`);
      for (const expectedVersion of [0, 1]) {
        const outcomes = await Promise.allSettled(
          pipelines.flatMap((id) => [
            t.store.engine.commit(
              commit(id, expectedVersion, { state: 'a', events: [event(`a${expectedVersion}`)] }),
            ),
            other.engine.commit(
              commit(id, expectedVersion, { state: 'b', events: [event(`b${expectedVersion}`)] }),
            ),
          ]),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(pipelines.length);
        for (const loss of lost) expect(loss.reason).toBeInstanceOf(StoreConflictError);
        // Only the winners' events were written.
        const events = await t.store.engine.listEvents({ afterSeq: 0 });
        expect(events.filter((e) => e.type.endsWith(String(expectedVersion)))).toHaveLength(
          pipelines.length,
        );
        // Every pipeline moved exactly one version.
        for (const id of pipelines) {
          expect((await other.engine.loadPipeline(id))?.version).toBe(expectedVersion + 1);
        }
      }
    });

    it('rejects a negative or fractional expected version before touching the database', async () => {
      for (const expectedVersion of [-1, 0.5, Number.NaN]) {
        const error = await rejection(t.store.engine.commit(commit('web', expectedVersion)));
        expect(isRampartError(error) && error.code).toBe('STORE_VALUE_UNSUPPORTED');
      }
      expect(await t.store.engine.listPipelineIds()).toEqual([]);
    });
  });

  describe('event log', () => {
    it('numbers events in order across commits and pipelines', async () => {
      const a = await t.store.engine.commit(
        commit('web', 0, { events: [event('one'), event('two')] }),
      );
      const b = await t.store.engine.commit(commit('api', 0, { events: [event('three')] }));
      const c = await t.store.engine.commit(commit('web', 1, { events: [event('four')] }));
      expect(a.eventSeqs).toHaveLength(2);
      const seqs = [...a.eventSeqs, ...b.eventSeqs, ...c.eventSeqs];
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(4);
      const events = await t.store.engine.listEvents({});
      expect(events.map((e) => [e.seq, e.type])).toEqual([
        [seqs[0], 'one'],
        [seqs[1], 'two'],
        [seqs[2], 'three'],
        [seqs[3], 'four'],
      ]);
    });

    it('keeps every field, defaults the actor to system and tells null data from none', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          events: [
            event('operation.approve', {
              at: '2030-01-01T10:00:00Z',
              deploymentId: 'd1',
              stage: 'prod',
              step: 'bake',
              actor: 'user:ada',
              reason: 'looks good',
              data: { minutes: 30 },
            }),
            event('plain'),
            event('null-data', { data: null }),
          ],
        }),
      );
      const [full, plain, nullData] = await t.store.engine.listEvents({ pipelineId: 'web' });
      expect(full).toEqual({
        seq: full?.seq,
        pipelineId: 'web',
        type: 'operation.approve',
        at: '2030-01-01T10:00:00.000Z',
        deploymentId: 'd1',
        stage: 'prod',
        step: 'bake',
        actor: 'user:ada',
        reason: 'looks good',
        data: { minutes: 30 },
      });
      expect(plain).toEqual({
        seq: plain?.seq,
        pipelineId: 'web',
        type: 'plain',
        at: T0,
        actor: 'system',
      });
      expect(Object.keys(plain ?? {})).not.toContain('data');
      expect(nullData).toHaveProperty('data', null);
    });

    it('filters by pipeline, deployment and sequence, and pages with a limit', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          events: [
            event('w1', { deploymentId: 'd1' }),
            event('w2', { deploymentId: 'd2' }),
            event('w3', { deploymentId: 'd1' }),
          ],
        }),
      );
      await t.store.engine.commit(
        commit('api', 0, { events: [event('a1', { deploymentId: 'd1' })] }),
      );
      const types = async (
        query: Parameters<typeof t.store.engine.listEvents>[0],
      ): Promise<string[]> => (await t.store.engine.listEvents(query)).map((e) => e.type);
      expect(await types({ pipelineId: 'web' })).toEqual(['w1', 'w2', 'w3']);
      expect(await types({ pipelineId: 'web', deploymentId: 'd1' })).toEqual(['w1', 'w3']);
      expect(await types({ deploymentId: 'd1' })).toEqual(['w1', 'w3', 'a1']);
      const all = await t.store.engine.listEvents({});
      expect(await types({ afterSeq: all[1]?.seq })).toEqual(['w3', 'a1']);
      expect(await types({ limit: 2 })).toEqual(['w1', 'w2']);
      expect(await types({ afterSeq: all[1]?.seq, limit: 1 })).toEqual(['w3']);
      expect(await types({ pipelineId: 'none' })).toEqual([]);
      expect(await types({ afterSeq: all[3]?.seq })).toEqual([]);
    });

    it('returns at most 1000 events unless told otherwise', async () => {
      const events = Array.from({ length: 1001 }, (_, i) => event(`e${i}`));
      const result = await t.store.engine.commit(commit('web', 0, { events }));
      expect(result.eventSeqs).toHaveLength(1001);
      const page = await t.store.engine.listEvents({});
      expect(page).toHaveLength(1000);
      expect(page.at(-1)?.type).toBe('e999');
      const rest = await t.store.engine.listEvents({ afterSeq: page.at(-1)?.seq });
      expect(rest.map((e) => e.type)).toEqual(['e1000']);
      await expect(t.store.engine.listEvents({ limit: 0 })).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
    });

    it('refuses an event time that is not a time', async () => {
      await expect(
        t.store.engine.commit(commit('web', 0, { events: [event('x', { at: 'yesterday' })] })),
      ).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED', message: /events\[0\]\.at/ });
      expect(await t.store.engine.loadPipeline('web')).toBeUndefined();
    });
  });

  describe('command outbox', () => {
    const claim = (
      owner: string,
      now: string,
      limit = 10,
      leaseMs = 60_000,
      store = t.store,
    ): ReturnType<typeof t.store.engine.claimCommands> =>
      store.engine.claimCommands({ owner, now, leaseMs, limit });

    it('claims due commands, oldest due first, then in enqueue order', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          commands: [
            command('late', { dueAt: at(30) }),
            command('b', { dueAt: at(10) }),
            command('a', { dueAt: at(10) }),
            command('future', { dueAt: at(3600) }),
          ],
        }),
      );
      await t.store.engine.commit(
        commit('api', 0, { commands: [command('early', { dueAt: at(5) })] }),
      );
      const claimed = await claim('w1', at(60));
      expect(claimed.map((c) => c.id)).toEqual(['early', 'b', 'a', 'late']);
      expect(claimed[1]).toEqual({
        id: 'b',
        pipelineId: 'web',
        type: 'run-step',
        payload: { id: 'b' },
        dueAt: at(10),
        attempts: 1,
        status: 'pending',
        leaseOwner: 'w1',
        leaseUntil: at(120),
      });
      expect(await claim('w2', at(60))).toEqual([]);
    });

    it('respects the limit and takes the next ones on the next claim', async () => {
      await t.store.engine.commit(
        commit('web', 0, { commands: ['c1', 'c2', 'c3'].map((id) => command(id, { dueAt: T0 })) }),
      );
      expect((await claim('w', T0, 2)).map((c) => c.id)).toEqual(['c1', 'c2']);
      expect((await claim('w', T0, 2)).map((c) => c.id)).toEqual(['c3']);
      expect(await claim('w', T0, 0)).toEqual([]);
    });

    it('makes a command without a due time due at the commit time of the store clock', async () => {
      t.clock.advance(5000);
      await t.store.engine.commit(commit('web', 0, { commands: [command('now')] }));
      expect((await t.store.engine.getCommand('now'))?.dueAt).toBe(at(5));
      expect(await claim('w', at(4))).toEqual([]);
      expect((await claim('w', at(5))).map((c) => c.id)).toEqual(['now']);
    });

    it('stores due times in one form so that text order is time order', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          commands: [
            command('offset', { dueAt: '2030-01-01T01:00:00+02:00' }),
            command('short', { dueAt: '2030-01-01T00:00:00Z' }),
          ],
        }),
      );
      expect((await t.store.engine.getCommand('offset'))?.dueAt).toBe('2029-12-31T23:00:00.000Z');
      const claimed = await claim('w', '2030-01-01T00:00:00Z');
      expect(claimed.map((c) => c.id)).toEqual(['offset', 'short']);
    });

    it('ignores a command id that is already enqueued, even once done', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          commands: [
            command('x', { payload: 'first', dueAt: T0 }),
            command('x', { payload: 'same commit', dueAt: T0 }),
          ],
        }),
      );
      await t.store.engine.commit(
        commit('web', 1, { commands: [command('x', { payload: 'replayed' })] }),
      );
      expect((await t.store.engine.getCommand('x'))?.payload).toBe('first');
      await claim('w', T0);
      await t.store.engine.commit(commit('web', 2, { completedCommandIds: ['x'] }));
      await t.store.engine.commit(
        commit('web', 3, { commands: [command('x', { payload: 'again' })] }),
      );
      expect(await t.store.engine.getCommand('x')).toMatchObject({
        status: 'done',
        payload: 'first',
      });
      expect(await claim('w', at(3600))).toEqual([]);
    });

    it('hides a leased command until its lease expires, then lets another worker reclaim it', async () => {
      await t.store.engine.commit(commit('web', 0, { commands: [command('c', { dueAt: T0 })] }));
      expect((await claim('w1', T0, 10, 30_000)).map((c) => c.attempts)).toEqual([1]);
      expect(await claim('w2', at(29))).toEqual([]);
      const reclaimed = await claim('w2', at(30));
      expect(reclaimed).toEqual([
        expect.objectContaining({ id: 'c', attempts: 2, leaseOwner: 'w2', leaseUntil: at(90) }),
      ]);
      // The first worker lost it: renewing tells it so.
      expect(await t.store.engine.renewLeases('w1', ['c'], at(200))).toEqual(['c']);
    });

    it('renews only the leases the owner still holds', async () => {
      await t.store.engine.commit(
        commit('web', 0, { commands: ['a', 'b', 'c'].map((id) => command(id, { dueAt: T0 })) }),
      );
      await claim('w1', T0, 2);
      await claim('w2', T0, 1);
      await t.store.engine.commit(commit('web', 1, { completedCommandIds: ['b'] }));
      const lost = await t.store.engine.renewLeases('w1', ['a', 'b', 'c', 'unknown'], at(600));
      expect(lost).toEqual(['b', 'c', 'unknown']);
      expect((await t.store.engine.getCommand('a'))?.leaseUntil).toBe(at(600));
      expect((await t.store.engine.getCommand('c'))?.leaseUntil).toBe(at(60));
      expect(await t.store.engine.renewLeases('w1', [], at(600))).toEqual([]);
      // Renewed past the original expiry, 'a' stays with w1; 'c' was not renewed and expired.
      expect((await claim('w3', at(300))).map((c) => c.id)).toEqual(['c']);
    });

    it('gives a released command back at once, but only when the owner releases it', async () => {
      await t.store.engine.commit(commit('web', 0, { commands: [command('c', { dueAt: T0 })] }));
      await claim('w1', T0);
      await t.store.engine.releaseCommand('w2', 'c');
      expect(await claim('w2', T0)).toEqual([]);
      await t.store.engine.releaseCommand('w1', 'c');
      const released = await t.store.engine.getCommand('c');
      expect(released).not.toHaveProperty('leaseOwner');
      expect(released).not.toHaveProperty('leaseUntil');
      expect(await claim('w2', T0)).toEqual([
        expect.objectContaining({ id: 'c', attempts: 2, leaseOwner: 'w2' }),
      ]);
    });

    it('lists the holders of live leases and gives back every command of a gone worker', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          commands: ['a', 'b', 'c', 'd', 'done'].map((id) => command(id, { dueAt: T0 })),
        }),
      );
      await claim('dead', T0, 2); // a and b
      await claim('alive', T0, 1); // c
      await claim('expired', T0, 1, 1_000); // d, whose lease ends at T0 + 1 s
      await claim('alive', T0, 1); // done, consumed below
      await t.store.engine.commit(commit('web', 1, { completedCommandIds: ['done'] }));
      expect(await t.store.engine.leaseHolders(at(2))).toEqual([
        { owner: 'alive', commands: 1 },
        { owner: 'dead', commands: 2 },
      ]);
      expect(await t.store.engine.releaseLeasesOf('dead')).toBe(2);
      expect(await t.store.engine.releaseLeasesOf('dead')).toBe(0);
      expect(await t.store.engine.releaseLeasesOf('done-owner')).toBe(0);
      expect(await t.store.engine.leaseHolders(at(2))).toEqual([{ owner: 'alive', commands: 1 }]);
      // Given back at once, attempts kept: the next claim is their second.
      expect((await claim('new', at(2))).map((c) => [c.id, c.attempts])).toEqual([
        ['a', 2],
        ['b', 2],
        ['d', 2],
      ]);
      expect((await t.store.engine.getCommand('c'))?.leaseOwner).toBe('alive');
      await expect(t.store.engine.releaseLeasesOf('')).rejects.toThrow();
    });

    it('marks consumed commands done in the commit, and never claims them again', async () => {
      await t.store.engine.commit(
        commit('web', 0, { commands: [command('a', { dueAt: T0 }), command('b', { dueAt: T0 })] }),
      );
      await claim('w', T0);
      await t.store.engine.commit(commit('web', 1, { completedCommandIds: ['a', 'a', 'nope'] }));
      expect((await t.store.engine.getCommand('a'))?.status).toBe('done');
      expect((await t.store.engine.getCommand('b'))?.status).toBe('pending');
      expect((await claim('w2', at(3600))).map((c) => c.id)).toEqual(['b']);
    });

    it('does not mark commands done when the commit conflicts', async () => {
      await t.store.engine.commit(commit('web', 0, { commands: [command('a', { dueAt: T0 })] }));
      await expect(
        t.store.engine.commit(commit('web', 0, { completedCommandIds: ['a'] })),
      ).rejects.toBeInstanceOf(StoreConflictError);
      expect((await t.store.engine.getCommand('a'))?.status).toBe('pending');
    });

    it('hands each command to one of two servers claiming at once', async () => {
      const other = await t.openAnother();
      const ids = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(2, '0')}`);
      await t.store.engine.commit(
        commit('web', 0, { commands: ids.map((id) => command(id, { dueAt: T0 })) }),
      );
      const drain = async (store: typeof t.store, owner: string): Promise<string[]> => {
        const got: string[] = [];
        for (;;) {
          const batch = await claim(owner, T0, 4, 60_000, store);
          if (batch.length === 0) return got;
          got.push(...batch.map((c) => c.id));
        }
      };
      const results = await Promise.all([
        drain(t.store, 'w1'),
        drain(other, 'w2'),
        drain(t.store, 'w3'),
        drain(other, 'w4'),
      ]);
      const all = results.flat();
      expect(all).toHaveLength(ids.length);
      expect([...all].sort()).toEqual(ids);
      for (const id of ids) expect((await t.store.engine.getCommand(id))?.attempts).toBe(1);
    });

    it('rejects claims with a bad time, lease or limit', async () => {
      await expect(claim('w', 'soon')).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED' });
      await expect(claim('w', T0, 10, 0)).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
      await expect(claim('w', T0, -1)).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED' });
      await expect(claim('', T0)).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED' });
      await expect(t.store.engine.renewLeases('w', ['a'], 'later')).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
    });
  });

  describe('deployments', () => {
    const deployment = (id: string, pipelineId: string, revision: number, extra = {}) => ({
      id,
      pipelineId,
      revision,
      commitSha: `sha${revision}`,
      status: 'running',
      trigger: 'push',
      createdAt: at(revision),
      updatedAt: at(revision),
      ...extra,
    });

    it('inserts rows with the commit and updates them with later commits', async () => {
      await t.store.engine.commit(commit('web', 0, { deployments: [deployment('d1', 'web', 1)] }));
      expect(await t.store.engine.getDeployment('d1')).toEqual(deployment('d1', 'web', 1));
      await t.store.engine.commit(
        commit('web', 1, {
          deployments: [deployment('d1', 'web', 1, { status: 'succeeded', updatedAt: at(99) })],
        }),
      );
      expect(await t.store.engine.getDeployment('d1')).toMatchObject({
        status: 'succeeded',
        updatedAt: at(99),
        createdAt: at(1),
      });
      expect(await t.store.engine.getDeployment('nope')).toBeUndefined();
    });

    it('keeps the last row when a commit names a deployment twice', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          deployments: [
            deployment('d1', 'web', 1),
            deployment('d1', 'web', 1, { status: 'failed' }),
          ],
        }),
      );
      expect((await t.store.engine.getDeployment('d1'))?.status).toBe('failed');
    });

    it('does not write deployment rows of a conflicting commit', async () => {
      await t.store.engine.commit(commit('web', 0));
      await expect(
        t.store.engine.commit(commit('web', 0, { deployments: [deployment('d1', 'web', 1)] })),
      ).rejects.toBeInstanceOf(StoreConflictError);
      expect(await t.store.engine.getDeployment('d1')).toBeUndefined();
    });

    it('lists newest first with filters and pages backwards by revision', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          deployments: [1, 2, 3, 4, 5].map((r) =>
            deployment(`w${r}`, 'web', r, { status: r % 2 === 0 ? 'failed' : 'succeeded' }),
          ),
        }),
      );
      await t.store.engine.commit(
        commit('api', 0, {
          deployments: [deployment('a1', 'api', 1, { createdAt: at(100), status: 'succeeded' })],
        }),
      );
      const ids = async (
        query: Parameters<typeof t.store.engine.listDeployments>[0],
      ): Promise<string[]> => (await t.store.engine.listDeployments(query)).map((d) => d.id);
      expect(await ids({ pipelineId: 'web' })).toEqual(['w5', 'w4', 'w3', 'w2', 'w1']);
      expect(await ids({ pipelineId: 'web', limit: 2 })).toEqual(['w5', 'w4']);
      expect(await ids({ pipelineId: 'web', beforeRevision: 4, limit: 2 })).toEqual(['w3', 'w2']);
      expect(await ids({ pipelineId: 'web', status: 'failed' })).toEqual(['w4', 'w2']);
      expect(await ids({ status: 'succeeded' })).toEqual(['a1', 'w5', 'w3', 'w1']);
      expect(await ids({})).toEqual(['a1', 'w5', 'w4', 'w3', 'w2', 'w1']);
      expect(await ids({ pipelineId: 'none' })).toEqual([]);
    });

    it('returns 50 rows unless told otherwise', async () => {
      await t.store.engine.commit(
        commit('web', 0, {
          deployments: Array.from({ length: 51 }, (_, i) => deployment(`d${i + 1}`, 'web', i + 1)),
        }),
      );
      const page = await t.store.engine.listDeployments({ pipelineId: 'web' });
      expect(page).toHaveLength(50);
      expect(page[0]?.revision).toBe(51);
      await expect(t.store.engine.listDeployments({ limit: -5 })).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
    });
  });

  describe('effect journals', () => {
    it('records, overwrites and reads effects per command', async () => {
      expect(await t.store.engine.getEffects('c1')).toEqual({});
      await t.store.engine.putEffect('c1', 'taskDefinitionArn', 'arn:aws:ecs:1');
      await t.store.engine.putEffect('c1', 'attempt', { n: 1 });
      await t.store.engine.putEffect('c2', 'attempt', { n: 9 });
      await t.store.engine.putEffect('c1', 'attempt', { n: 2 });
      expect(await t.store.engine.getEffects('c1')).toEqual({
        taskDefinitionArn: 'arn:aws:ecs:1',
        attempt: { n: 2 },
      });
      expect(await t.store.engine.getEffects('c2')).toEqual({ attempt: { n: 9 } });
    });

    it('keeps awkward names as plain keys', async () => {
      await t.store.engine.putEffect('c1', '__proto__', { polluted: true });
      await t.store.engine.putEffect('c1', 'constructor', null);
      const effects = await t.store.engine.getEffects('c1');
      expect(Object.keys(effects).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(effects)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(effects.constructor).toBeNull();
    });

    it('refuses an empty name', async () => {
      await expect(t.store.engine.putEffect('c1', '', 1)).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
    });
  });

  describe('JSON values', () => {
    const roundTrip = async (value: JsonValue): Promise<JsonValue | undefined> => {
      const current = await t.store.engine.loadPipeline('json');
      await t.store.engine.commit(
        commit('json', current?.version ?? 0, {
          state: value,
          events: [event('e', { data: value })],
          commands: [command(`c${current?.version ?? 0}`, { payload: value })],
        }),
      );
      await t.store.engine.putEffect('c', 'value', value);
      const stored = await t.store.engine.loadPipeline('json');
      const events = await t.store.engine.listEvents({ pipelineId: 'json' });
      const cmd = await t.store.engine.getCommand(`c${current?.version ?? 0}`);
      expect(events.at(-1)?.data).toStrictEqual(stored?.state);
      expect(cmd?.payload).toStrictEqual(stored?.state);
      expect((await t.store.engine.getEffects('c')).value).toStrictEqual(stored?.state);
      return stored?.state;
    };

    it('round-trips text in any script, escapes and emoji', async () => {
      const value = {
        greek: 'Ελληνικά',
        cjk: '漢字かなカナ한국어',
        rtl: 'עברית العربية',
        combining: 'e\u0301 n\u0303',
        emoji: '🚀👩‍👩‍👧‍👦🏳️‍🌈',
        astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
        escapes: 'quote " backslash \\ slash / tab \t newline \n cr \r',
        lookalike: 'the text \\u0000 is six characters here',
        control: '\u0001\u001f\u007f\u2028\u2029',
        bom: '\ufeff',
        'key with spaces and ünïcödé 🔑': true,
      };
      expect(await roundTrip(value)).toStrictEqual(value);
    });

    it('round-trips nesting, numbers and every JSON type', async () => {
      let deep: JsonValue = 'bottom';
      for (let i = 0; i < 120; i += 1) deep = i % 2 === 0 ? { level: i, next: deep } : [i, deep];
      const value = {
        deep,
        numbers: [0, -1, 1.5, -0.000123, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, 2 ** 60],
        flags: [true, false, null],
        empty: { object: {}, array: [], text: '' },
        order: { z: 1, a: 2, m: { y: 1, b: 2 } },
      };
      expect(await roundTrip(value)).toStrictEqual(value);
    });

    it('round-trips scalars as the whole document', async () => {
      for (const value of ['text', 42, true, null, [1, 'two']] as JsonValue[]) {
        expect(await roundTrip(value)).toStrictEqual(value);
      }
    });

    it('round-trips a document of over a megabyte', async () => {
      const value = {
        steps: Array.from({ length: 8_000 }, (_, i) => ({
          id: `step-${i}`,
          log: `line ${i} ${'x'.repeat(100)} ✓`,
          ok: i % 3 !== 0,
        })),
      };
      const stored = await roundTrip(value);
      expect(stored).toStrictEqual(value);
      expect(JSON.stringify(stored).length).toBeGreaterThan(1_000_000);
    });

    it('refuses U+0000 and unpaired surrogates on both databases, writing nothing', async () => {
      for (const bad of [
        'nul \u0000 inside',
        'lone \ud800 high',
        'lone \udfff low',
        'swapped \udc00\ud800',
      ]) {
        const error = await rejection(
          t.store.engine.commit(commit('bad', 0, { state: { nested: [bad] } })),
        );
        expect(isRampartError(error) && error.code).toBe('STORE_VALUE_UNSUPPORTED');
        await expect(t.store.engine.putEffect('c', 'v', { bad })).rejects.toMatchObject({
          code: 'STORE_VALUE_UNSUPPORTED',
        });
      }
      expect(await t.store.engine.loadPipeline('bad')).toBeUndefined();
      expect(await t.store.engine.getEffects('c')).toEqual({});
    });
  });

  describe('closing', () => {
    it('closes the store through the engine port, more than once', async () => {
      const other = await t.openAnother();
      await other.engine.close();
      await other.close();
      await expect(other.engine.listPipelineIds()).rejects.toThrow();
      // The first store is independent of the second.
      expect(await t.store.engine.listPipelineIds()).toEqual([]);
    });
  });
});
