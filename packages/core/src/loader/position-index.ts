/** Maps a path inside loaded YAML data back to a line and column of the file. */
import type { LineCounter } from 'yaml';
import type { SourceLocation } from '../errors/index.js';

export type DataPath = readonly (string | number)[];

interface NodeSpan {
  /** Offset of the value node. */
  value: number;
  /** Offset of the key, for map entries. */
  key?: number;
  /** The value's source text as written (scalars only). */
  raw?: string;
  /** Offset where the scalar's content starts, after an opening quote. */
  contentStart?: number;
}

const SEP = '\u0000';

function keyOf(path: DataPath): string {
  return path.map(String).join(SEP);
}

/** Source positions of every node of one loaded file. */
export class PositionIndex {
  private readonly spans = new Map<string, NodeSpan>();

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** @internal used by the loader. */
  record(path: DataPath, span: NodeSpan): void {
    this.spans.set(keyOf(path), span);
  }

  /** Makes positions under `from` also answer for `to` (used when older shapes are rewritten). */
  alias(from: DataPath, to: DataPath): void {
    const prefix = keyOf(from);
    const target = keyOf(to);
    for (const [key, span] of [...this.spans]) {
      if (key === prefix) this.spans.set(target, span);
      else if (key.startsWith(prefix + SEP))
        this.spans.set(target + key.slice(prefix.length), span);
    }
  }

  /** Whether the path was present in the file (not added by normalization). */
  has(path: DataPath): boolean {
    return this.spans.has(keyOf(path));
  }

  /** Location of the value at `path`, or of its nearest ancestor present in the file. */
  locate(path: DataPath): SourceLocation {
    return this.at(this.find(path)?.value ?? 0);
  }

  /** Location of the key of the entry at `path` (for unknown or duplicate keys). */
  locateKey(path: DataPath): SourceLocation {
    const span = this.find(path);
    return this.at(span?.key ?? span?.value ?? 0);
  }

  /** The scalar at `path` as written in the file, e.g. `012345678901` for a number. */
  raw(path: DataPath): string | undefined {
    return this.spans.get(keyOf(path))?.raw;
  }

  /**
   * Location of a character inside the string at `path`, given its offset in the parsed value.
   * Exact for plain and quoted one-line strings; for strings whose source differs from their value
   * (escapes, folding) it finds the same `${{` occurrence in the source text.
   */
  locateInString(path: DataPath, value: string, offset: number): SourceLocation {
    const span = this.spans.get(keyOf(path));
    if (span === undefined) return this.locate(path);
    const raw = span.raw;
    const start = span.contentStart ?? span.value;
    if (raw === undefined) return this.at(start);
    if (raw.startsWith(value) || raw === value) return this.at(start + offset);
    // Re-anchor on the nth `${{` before the offset, which is written the same in source and value.
    const anchor = value.lastIndexOf('${{', offset);
    if (anchor < 0) return this.at(start);
    let nth = 0;
    for (let i = value.indexOf('${{'); i >= 0 && i < anchor; i = value.indexOf('${{', i + 1)) nth++;
    let rawAt = raw.indexOf('${{');
    for (let k = 0; k < nth && rawAt >= 0; k++) rawAt = raw.indexOf('${{', rawAt + 1);
    if (rawAt < 0) return this.at(start);
    return this.at(start + rawAt + (offset - anchor));
  }

  private find(path: DataPath): NodeSpan | undefined {
    for (let n = path.length; n >= 0; n--) {
      const span = this.spans.get(keyOf(path.slice(0, n)));
      if (span !== undefined) return span;
    }
    return undefined;
  }

  private at(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line: Math.max(1, line), column: Math.max(1, col) };
  }
}
