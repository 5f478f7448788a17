/**
 * Masks secret values in what a step leaves behind (log lines, outputs, error messages, polling
 * state, effect journals) before it reaches the store, events or the API. It masks each value and
 * the forms a script most often prints it in: JSON-escaped, URL-encoded, and base64 (also inside
 * a longer base64 text, whatever the value's offset there).
 */
import type { JsonValue } from '../ports/engine-store.js';

/** What a masked value becomes. */
export const REDACTED = '[REDACTED]';

/** Base64 fragments shorter than this are not masked on their own: they would mask noise. */
const MIN_FRAGMENT = 8;

/** Holds the resolved values of one step (or build) and masks them. */
export class SecretRedactor {
  /** Every form of every value, longest first so a longer form is masked before its parts. */
  readonly #forms: readonly string[];

  constructor(values: Iterable<string>) {
    const forms = new Set<string>();
    for (const value of values) for (const form of secretForms(value)) forms.add(form);
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** Whether it masks nothing (no values). */
  get empty(): boolean {
    return this.#forms.length === 0;
  }

  /** `text` with every form of every value replaced by {@link REDACTED}. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** `value` with every string (and object key) in it redacted. */
  redactJson<T extends JsonValue>(value: T): T {
    return this.#json(value) as T;
  }

  #json(value: JsonValue): JsonValue {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#json(item));
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: JsonValue } = {};
      for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.#json(item);
      return out;
    }
    return value;
  }
}

/** The texts that give `value` away: itself and its common encodings. Empty for ''. */
export function secretForms(value: string): string[] {
  if (value.length === 0) return [];
  const forms = new Set<string>([value]);
  // Trailing newlines are what `echo` and files add; the value without them is the secret.
  const trimmed = value.replace(/[\r\n]+$/, '');
  if (trimmed.length > 0) forms.add(trimmed);
  // Logs arrive line by line: each line of a multi-line value (a PEM key) is masked on its own.
  for (const line of trimmed.split(/\r?\n/))
    if (line !== trimmed && line.trim().length >= MIN_FRAGMENT) forms.add(line);
  for (const v of [...forms]) {
    forms.add(JSON.stringify(v).slice(1, -1));
    const uri = encodeURIComponent(v);
    forms.add(uri);
    forms.add(uri.replace(/%20/g, '+'));
    forms.add(uri.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    const bytes = Buffer.from(v, 'utf8');
    for (const text of [v, `${v}\n`]) {
      const b64 = Buffer.from(text, 'utf8').toString('base64');
      forms.add(b64);
      forms.add(b64.replace(/=+$/, ''));
      forms.add(toBase64Url(b64));
    }
    for (const fragment of base64Fragments(bytes)) {
      forms.add(fragment);
      forms.add(toBase64Url(fragment));
    }
  }
  return [...forms].filter((form) => form.length > 0);
}

/**
 * The parts of the base64 of any text containing `bytes` that depend only on `bytes`: for each of
 * the three offsets the value may start at, the 4-character groups that encode value bytes only.
 */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor(padded.length / 3) * 4;
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT) out.push(fragment);
  }
  return out;
}

function toBase64Url(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
