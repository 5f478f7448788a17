/** The issuer's signing keys over time: the active key, rotation with overlap, the published set. */
import { importJWK, type CryptoKey } from 'jose';
import { systemClock, type Clock } from '../clock.js';
import { jwksDocument, type JsonWebKeySet } from '../documents/jwks-document.js';
import { generateSigningKey } from './generate-signing-key.js';
import {
  activeKey,
  keyState,
  liveKeys,
  removalTime,
  rotateKeys,
  type SigningKeyState,
} from './key-lifecycle.js';
import type { KeyStore } from './key-store.js';
import type { RsaPrivateJwk, StoredSigningKey } from './stored-signing-key.js';

/** What `rampart oidc show` and the API tell about a key; never the key material. */
export interface SigningKeyInfo {
  kid: string;
  state: Exclude<SigningKeyState, 'expired'>;
  createdAt: Date;
  /** When a rotation retired it. */
  retiredAt: Date | undefined;
  /** When it leaves the JWKS: retirement plus the maximum token lifetime. */
  removedAt: Date | undefined;
}

/** The outcome of {@link KeyRing.rotate}. */
export interface RotationResult {
  /** The new active key. */
  active: SigningKeyInfo;
  /** The key that was active before, now retired; absent when there was none. */
  retired: SigningKeyInfo | undefined;
  /** Kids of retired keys dropped because every token they signed has expired. */
  dropped: string[];
}

/** The key that signs tokens now. */
export interface ActiveSigner {
  kid: string;
  privateKey: CryptoKey;
}

/** Options of {@link KeyRing}. */
export interface KeyRingOptions {
  store: KeyStore;
  /** @default the system clock */
  clock?: Clock;
}

/**
 * Signing keys on top of a {@link KeyStore}. Every call reads the store, so a rotation made by
 * another process is seen at once; imported private keys are cached by kid.
 */
export class KeyRing {
  readonly store: KeyStore;
  readonly clock: Clock;
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(options: KeyRingOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
  }

  /** The published keys, active first, then retired ones, newest first. */
  async list(): Promise<SigningKeyInfo[]> {
    const now = this.clock.now();
    return liveKeys(await this.store.load(), now).map((k) => info(k, now));
  }

  /** The public key set to serve at `/.well-known/jwks.json`. */
  async jwks(): Promise<JsonWebKeySet> {
    return jwksDocument(await this.store.load(), this.clock.now());
  }

  /**
   * The active key, created first when the store has none (the first start of a server), and
   * expired retired keys dropped from the store.
   */
  async ensureActive(): Promise<SigningKeyInfo> {
    const current = await this.store.load();
    const now = this.clock.now();
    const existing = activeKey(current);
    const hasExpired = current.some((k) => keyState(k, now) === 'expired');
    if (existing !== undefined && !hasExpired) return info(existing, now);
    const fresh = existing === undefined ? await generateSigningKey(now) : undefined;
    const stored = await this.store.update((keys) => {
      const live = liveKeys(keys, now);
      // Another process may have created a key meanwhile: keep it rather than adding a second.
      return activeKey(live) !== undefined || fresh === undefined ? live : [...live, fresh];
    });
    const active = activeKey(stored);
    if (active === undefined) throw new Error('the key store returned no active key');
    return info(active, now);
  }

  /**
   * Adds a new active key and retires the current one. The retired key stays in the JWKS until
   * every token it signed has expired, so tokens in flight keep verifying.
   */
  async rotate(): Promise<RotationResult> {
    const now = this.clock.now();
    const next = await generateSigningKey(now);
    let before: StoredSigningKey[] = [];
    const stored = await this.store.update((keys) => {
      before = [...keys];
      return rotateKeys(keys, next, now);
    });
    const previous = activeKey(before);
    const retired = stored.find((k) => k.kid === previous?.kid);
    return {
      active: info(next, now),
      retired: retired === undefined ? undefined : info(retired, now),
      dropped: before.filter((k) => !stored.some((s) => s.kid === k.kid)).map((k) => k.kid),
    };
  }

  /** Drops retired keys whose tokens have all expired; returns their kids. */
  async prune(): Promise<string[]> {
    const now = this.clock.now();
    let dropped: string[] = [];
    const current = await this.store.load();
    if (!current.some((k) => keyState(k, now) === 'expired')) return [];
    await this.store.update((keys) => {
      const live = liveKeys(keys, now);
      dropped = keys.filter((k) => !live.includes(k)).map((k) => k.kid);
      return live;
    });
    return dropped;
  }

  /** The active key for signing, created first when there is none. */
  async signer(): Promise<ActiveSigner> {
    let active = activeKey(await this.store.load());
    if (active === undefined) {
      await this.ensureActive();
      active = activeKey(await this.store.load());
      if (active === undefined) throw new Error('the key store returned no active key');
    }
    const { kid, privateJwk } = active;
    let privateKey = this.imported.get(kid);
    if (privateKey === undefined) {
      privateKey = importPrivateKey(privateJwk).catch((error: unknown) => {
        this.imported.delete(kid);
        throw error;
      });
      this.imported.set(kid, privateKey);
    }
    return { kid, privateKey: await privateKey };
  }
}

async function importPrivateKey(jwk: RsaPrivateJwk): Promise<CryptoKey> {
  const key = await importJWK(jwk, 'RS256');
  // importJWK returns bytes only for symmetric ("oct") keys, which the schema rules out.
  if (key instanceof Uint8Array) throw new Error('a stored signing key is not an RSA key');
  return key;
}

function info(key: StoredSigningKey, now: Date): SigningKeyInfo {
  const state = keyState(key, now);
  return {
    kid: key.kid,
    state: state === 'active' ? 'active' : 'retired',
    createdAt: new Date(key.createdAt),
    retiredAt: key.retiredAt === undefined ? undefined : new Date(key.retiredAt),
    removedAt: removalTime(key),
  };
}
