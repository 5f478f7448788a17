import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  parseServerWorkerId,
  processIsAlive,
  reclaimDeadWorkerLeases,
  serverWorkerId,
  type LeaseStore,
} from './dead-worker-leases.js';

/** Leases as rows: owner per command id; released ones are removed. */
class LeaseTable implements LeaseStore {
  released: string[] = [];
  seenNow: string[] = [];

  constructor(readonly leases: Map<string, string>) {}

  leaseHolders(now: string) {
    this.seenNow.push(now);
    const counts = new Map<string, number>();
    for (const owner of this.leases.values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    return Promise.resolve([...counts].map(([owner, commands]) => ({ owner, commands })));
  }

  releaseLeasesOf(owner: string) {
    this.released.push(owner);
    let count = 0;
    for (const [id, holder] of [...this.leases]) {
      if (holder === owner) {
        this.leases.delete(id);
        count += 1;
      }
    }
    return Promise.resolve(count);
  }
}

describe('worker ids', () => {
  it('names host, pid and a random part, and reads host and pid back', () => {
    const id = serverWorkerId('build-7.example', 4242);
    expect(id).toMatch(/^build-7\.example\/4242\/[0-9a-f]{8}$/);
    expect(serverWorkerId('h', 1)).not.toBe(serverWorkerId('h', 1));
    expect(parseServerWorkerId(id)).toEqual({ host: 'build-7.example', pid: 4242 });
  });

  it('reads nothing from ids it did not make', () => {
    for (const id of ['worker-1', 'host/0/abcdef12', 'host/12/xyz', '/12/abcdef12', 'host/12']) {
      expect(parseServerWorkerId(id)).toBeUndefined();
    }
  });

  it('tells a running process from one that exited', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    expect(processIsAlive(child.pid ?? 0)).toBe(false);
  });
});

describe('reclaimDeadWorkerLeases', () => {
  const dead = 'here/1001/aaaaaaaa';
  const alive = 'here/1002/bbbbbbbb';
  const self = 'here/77/cccccccc';
  const otherHost = 'there/1003/dddddddd';
  const custom = 'test-worker';

  it('gives back only the leases of gone processes of this host', async () => {
    const table = new LeaseTable(
      new Map([
        ['c1', dead],
        ['c2', dead],
        ['c3', alive],
        ['c4', self],
        ['c5', otherHost],
        ['c6', custom],
      ]),
    );
    const now = new Date('2026-03-01T10:00:00.000Z');
    const reclaimed = await reclaimDeadWorkerLeases({
      store: table,
      host: 'here',
      pid: 77,
      now,
      isAlive: (pid) => pid === 1002,
    });
    expect(reclaimed).toEqual([{ owner: dead, commands: 2 }]);
    expect(table.released).toEqual([dead]);
    expect([...table.leases.keys()]).toEqual(['c3', 'c4', 'c5', 'c6']);
    expect(table.seenNow).toEqual([now.toISOString()]);
  });

  it('reports nothing when nothing is held', async () => {
    const table = new LeaseTable(new Map());
    expect(
      await reclaimDeadWorkerLeases({ store: table, host: 'here', pid: 77, now: new Date(0) }),
    ).toEqual([]);
  });
});
