/** The objects that expressions read, supplied by the caller as a tree of values. */
import type { ErrorCode } from '../errors/error-codes.js';
import type { Deferred } from './deferred.js';
import type { ExpressionFailure } from './expression-diagnostic.js';

/** A value an expression can read or produce. */
export type ContextValue =
  | string
  | number
  | boolean
  | null
  | Deferred
  | ContextNode
  | readonly ContextValue[]
  | ContextRecord;

/** Plain data: reading a missing key gives a generic {@link ErrorCode} `EXPR_UNKNOWN_KEY`. */
export interface ContextRecord {
  readonly [key: string]: ContextValue;
}

export interface ContextNodeOptions {
  /** What the object is, for messages: `stage`, `the artifacts of pipeline "web"`. */
  description: string;
  /** The keys and their values, or a function that looks a key up (`undefined` = no such key). */
  entries: ReadonlyMap<string, ContextValue> | ((key: string) => ContextValue | undefined);
  /**
   * The keys to list and to suggest from when a key is unknown.
   * @default the keys of `entries` when it is a map; none are listed for a lookup function
   */
  knownKeys?: () => readonly string[];
  /**
   * The code of the error for a missing key. On the root node the default is
   * `EXPR_UNKNOWN_OBJECT`.
   * @default 'EXPR_UNKNOWN_KEY'
   */
  unknownKeyCode?: ErrorCode;
  /**
   * What a key is called in messages (`var` gives `unknown var "x"`, `known vars: …`).
   * @default 'key'
   */
  keyNoun?: string;
  /**
   * Called after a key was found; returning a failure rejects a key that exists but may not be read
   * here (a step that does not run before this one). The diagnostic points at the key.
   * @default every existing key is allowed
   */
  onAccess?: (key: string) => ExpressionFailure | undefined;
}

/**
 * An object of the expression context whose missing keys give a specific error, such as
 * `stage`, `vars` or `steps.<id>`. Unlike plain data, a node cannot be used as a whole value
 * (`${{ stage }}`): only its keys can be read.
 */
export class ContextNode {
  constructor(readonly options: ContextNodeOptions) {}

  get description(): string {
    return this.options.description;
  }

  /** The value of `key`, or `undefined` when there is none. */
  lookup(key: string): ContextValue | undefined {
    const { entries } = this.options;
    if (typeof entries === 'function') return entries(key);
    return entries.get(key);
  }

  /** The keys to list in messages and to suggest from; `undefined` when they cannot be listed. */
  knownKeys(): readonly string[] | undefined {
    const { entries, knownKeys } = this.options;
    if (knownKeys !== undefined) return knownKeys();
    return typeof entries === 'function' ? undefined : [...entries.keys()];
  }
}
