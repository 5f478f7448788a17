import { ManualClock } from '@rampart/aws-sandbox';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../test-support/temp-dirs.js';
import { FileKeyStore } from './file-key-store.js';
import { KeyRing } from './key-ring.js';
import { masterKeySource } from './master-key.js';

const tempDir = useTempDirs();
const MINUTE = 60_000;

function ring(clock: ManualClock, dataDir = tempDir()) {
  const masterKey = masterKeySource({ dataDir, masterKey: Buffer.alloc(32, 3).toString('base64') });
  return new KeyRing({ store: new FileKeyStore({ dataDir, masterKey }), clock });
}

describe('KeyRing', () => {
  it('creates the first key on demand and keeps it', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const keys = ring(clock);
    expect(await keys.list()).toEqual([]);
    expect((await keys.jwks()).keys).toEqual([]);
    const first = await keys.ensureActive();
    expect(first).toMatchObject({ state: 'active', createdAt: clock.now(), retiredAt: undefined });
    expect(first.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    clock.advance(60 * MINUTE);
    expect((await keys.ensureActive()).kid).toBe(first.kid);
    expect((await keys.signer()).kid).toBe(first.kid);
  });

  it('rotation overlaps: the retired key stays published for 10 minutes, then leaves JWKS and store', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const dataDir = tempDir();
    const keys = ring(clock, dataDir);
    const first = await keys.ensureActive();

    clock.advance(30 * MINUTE);
    const rotation = await keys.rotate();
    expect(rotation.retired).toMatchObject({
      kid: first.kid,
      state: 'retired',
      retiredAt: new Date('2026-03-01T10:30:00Z'),
      removedAt: new Date('2026-03-01T10:40:00Z'),
    });
    expect(rotation.active.kid).not.toBe(first.kid);
    expect(rotation.dropped).toEqual([]);
    expect((await keys.signer()).kid).toBe(rotation.active.kid);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([rotation.active.kid, first.kid]);

    clock.advance(10 * MINUTE - 1);
    expect((await keys.list()).map((k) => k.state)).toEqual(['active', 'retired']);

    clock.advance(1);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([rotation.active.kid]);
    expect(await keys.list()).toHaveLength(1);
    // Still in the store until a write drops it.
    expect(await keys.store.load()).toHaveLength(2);
    expect(await keys.prune()).toEqual([first.kid]);
    expect((await keys.store.load()).map((k) => k.kid)).toEqual([rotation.active.kid]);
    expect(await keys.prune()).toEqual([]);
  });

  it('a rotation drops retired keys whose overlap has passed', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const keys = ring(clock);
    const first = await keys.ensureActive();
    const second = await keys.rotate();
    clock.advance(5 * MINUTE);
    const third = await keys.rotate();
    expect(third.dropped).toEqual([]);
    clock.advance(5 * MINUTE);
    // `first` retired at 10:00 → removed at 10:10 = now; `second` retired at 10:05 stays.
    const fourth = await keys.rotate();
    expect(fourth.dropped).toEqual([first.kid]);
    expect((await keys.list()).map((k) => k.kid)).toEqual([
      fourth.active.kid,
      third.active.kid,
      second.active.kid,
    ]);
  });

  it('rotating an empty store creates the first key and retires nothing', async () => {
    const keys = ring(new ManualClock('2026-03-01T10:00:00Z'));
    const rotation = await keys.rotate();
    expect(rotation.retired).toBeUndefined();
    expect((await keys.list()).map((k) => k.kid)).toEqual([rotation.active.kid]);
  });

  it('ensureActive drops expired keys left over from an earlier rotation', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const keys = ring(clock);
    await keys.ensureActive();
    const rotation = await keys.rotate();
    clock.advance(11 * MINUTE);
    expect((await keys.ensureActive()).kid).toBe(rotation.active.kid);
    expect(await keys.store.load()).toHaveLength(1);
  });
});
