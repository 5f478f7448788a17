/** Parses YAML text into plain data plus a PositionIndex, reporting problems as diagnostics. */
import {
  LineCounter,
  parseDocument,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node as YamlNode,
  Scalar,
} from 'yaml';
import type { Diagnostic, ErrorCode } from '../errors/index.js';
import { MAX_EXPANDED_NODES, MAX_NESTING_DEPTH } from './limits.js';
import { findExcessiveNesting } from './nesting-depth.js';
import { PositionIndex, type DataPath } from './position-index.js';

export interface LoadedYaml {
  /** The data, or undefined when the file could not be read as YAML at all. */
  data: unknown;
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}

const yamlCodes: Record<string, ErrorCode> = {
  DUPLICATE_KEY: 'YAML_DUPLICATE_KEY',
  TAB_AS_INDENT: 'YAML_TAB_INDENT',
  MULTIPLE_DOCS: 'YAML_MULTIPLE_DOCUMENTS',
};

const yamlHints: Partial<Record<ErrorCode, string>> = {
  YAML_DUPLICATE_KEY: 'Remove or rename one of the two keys; YAML would keep only one of them.',
  YAML_TAB_INDENT: 'Indent with spaces only.',
  YAML_MULTIPLE_DOCUMENTS: 'Keep one YAML document per file (remove the `---` line).',
  YAML_SYNTAX: 'Fix the YAML syntax at this position.',
};

/** Loads one YAML document. Never throws for bad input: problems become diagnostics. */
export function loadYaml(text: string, file: string): LoadedYaml {
  const lines = new LineCounter();
  const positions = new PositionIndex(file, lines);
  const diagnostics: Diagnostic[] = [];
  const deep = findExcessiveNesting(text);
  if (deep !== undefined) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < deep.offset; i = text.indexOf('\n', i + 1))
      lines.addNewLine(i + 1);
    const { line, col } = lines.linePos(deep.offset);
    diagnostics.push({
      code: 'YAML_TOO_DEEP',
      severity: 'error',
      message: `values are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      file,
      line,
      column: col,
      hint: 'Flatten the structure; pipeline files need only a few levels.',
    });
    return { data: undefined, positions, diagnostics };
  }
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  for (const e of doc.errors.slice(0, MAX_YAML_ERRORS)) {
    const code = /Maximum call stack/.test(e.message)
      ? 'YAML_TOO_DEEP'
      : (yamlCodes[e.code] ?? 'YAML_SYNTAX');
    const { line, col } = lines.linePos(e.pos[0]);
    diagnostics.push({
      code,
      severity: 'error',
      message: firstLine(e.message),
      file,
      line,
      column: col,
      hint: hintFor(code, text, e.pos[0]),
    });
  }
  if (doc.errors.length > MAX_YAML_ERRORS) {
    const last = diagnostics[diagnostics.length - 1];
    if (last !== undefined)
      last.message += ` (${doc.errors.length - MAX_YAML_ERRORS} more YAML errors follow from it)`;
  }
  if (diagnostics.length > 0) return { data: undefined, positions, diagnostics };
  const walker = new Walker(doc, text, positions, file, lines);
  const data = doc.contents === null ? null : walker.convert(doc.contents, [], 0);
  diagnostics.push(...walker.diagnostics);
  return { data: walker.diagnostics.length > 0 ? undefined : data, positions, diagnostics };
}

/** YAML errors cascade; past the first few they repeat the same cause. */
const MAX_YAML_ERRORS = 5;

function hintFor(code: ErrorCode, text: string, offset: number): string | undefined {
  if (code === 'YAML_SYNTAX') {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = text.indexOf('\n', offset);
    const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    // `{ a: ${{ x }} }` reads as nested flow maps: the usual cause of a burst of errors.
    if (/[[{][^'"]*\$\{\{/.test(line))
      return 'Quote values that hold ${{ … }} inside [ ] or { }: "${{ stage.name }}".';
  }
  if (code === 'YAML_TOO_DEEP')
    return 'Flatten the structure; pipeline files need only a few levels.';
  return yamlHints[code];
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

class Walker {
  readonly diagnostics: Diagnostic[] = [];
  private nodes = 0;
  private stopped = false;

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly positions: PositionIndex,
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  convert(node: unknown, path: DataPath, depth: number, keyOffset?: number): unknown {
    if (this.stopped) return null;
    if (++this.nodes > MAX_EXPANDED_NODES) {
      this.fail(
        'YAML_ALIAS_LIMIT',
        `the document expands to more than ${MAX_EXPANDED_NODES} values (an alias bomb?)`,
        node,
        'Write the values out instead of nesting `*alias` references.',
      );
      return null;
    }
    if (depth > MAX_NESTING_DEPTH) {
      this.fail(
        'YAML_TOO_DEEP',
        `values are nested more than ${MAX_NESTING_DEPTH} levels deep`,
        node,
        'Flatten the structure.',
      );
      return null;
    }
    const start = rangeStart(node);
    if (isAlias(node)) {
      const target = this.resolveAlias(node.source, start);
      if (target === undefined) {
        this.fail(
          'YAML_SYNTAX',
          `unknown alias *${node.source}`,
          node,
          'Define the anchor `&name` before using `*name`.',
        );
        return null;
      }
      this.positions.record(path, withKey({ value: start }, keyOffset));
      return this.convert(target, path, depth + 1, keyOffset);
    }
    if (isMap(node)) {
      this.positions.record(path, withKey({ value: start }, keyOffset));
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        let key: string;
        if (
          isScalar(keyNode) &&
          (typeof keyNode.value === 'string' ||
            typeof keyNode.value === 'number' ||
            typeof keyNode.value === 'boolean')
        ) {
          key = String(keyNode.value);
        } else if (keyNode === null || keyNode === undefined) {
          key = '';
        } else {
          this.fail(
            'YAML_SYNTAX',
            'a map key must be a plain string',
            keyNode,
            'Use a string key.',
          );
          continue;
        }
        if (key === '<<') {
          this.fail(
            'YAML_SYNTAX',
            'merge keys (`<<`) are not supported',
            keyNode,
            'Write the keys out, or use `stage_defaults` for shared stage settings.',
          );
          continue;
        }
        const childPath = [...path, key];
        const kStart = rangeStart(keyNode);
        if (pair.value === null || pair.value === undefined) {
          this.positions.record(childPath, { value: kStart, key: kStart });
          defineKey(out, key, null);
        } else {
          defineKey(out, key, this.convert(pair.value, childPath, depth + 1, kStart));
        }
      }
      return out;
    }
    if (isSeq(node)) {
      this.positions.record(path, withKey({ value: start }, keyOffset));
      return node.items.map((item, i) => {
        if (item === null || item === undefined) return null;
        return this.convert(item, [...path, i], depth + 1);
      });
    }
    if (isScalar(node)) {
      const range = (node as YamlNode).range;
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      const contentStart = quoted ? start + 1 : start;
      const raw = range ? this.text.slice(contentStart, range[1]) : undefined;
      this.positions.record(
        path,
        withKey({ value: start, contentStart, ...(raw === undefined ? {} : { raw }) }, keyOffset),
      );
      const v = node.value;
      if (typeof v === 'bigint') return Number(v);
      if (v instanceof Date) return v.toISOString();
      return v ?? null;
    }
    this.fail('YAML_SYNTAX', 'unsupported YAML node', node, 'Use maps, lists and scalars only.');
    return null;
  }

  private anchors: Map<string, { offset: number; node: unknown }[]> | undefined;

  /**
   * The node an alias refers to: the last anchor of that name before it. Built once as a table, so
   * expanding aliases costs O(1) each (the library's own lookup walks the whole document).
   */
  private resolveAlias(name: string, offset: number): unknown {
    if (this.anchors === undefined) {
      const table = new Map<string, { offset: number; node: unknown }[]>();
      visit(this.doc, {
        Node: (_key, n) => {
          const anchor = (n as { anchor?: string }).anchor;
          if (anchor !== undefined) {
            const list = table.get(anchor) ?? [];
            list.push({ offset: rangeStart(n), node: n });
            table.set(anchor, list);
          }
        },
      });
      this.anchors = table;
    }
    let found: unknown;
    for (const entry of this.anchors.get(name) ?? []) if (entry.offset < offset) found = entry.node;
    return found;
  }

  private fail(code: ErrorCode, message: string, node: unknown, hint: string): void {
    const { line, col } = this.lines.linePos(rangeStart(node));
    this.diagnostics.push({
      code,
      severity: 'error',
      message,
      file: this.file,
      line,
      column: col,
      hint,
    });
    if (code === 'YAML_ALIAS_LIMIT' || code === 'YAML_TOO_DEEP') this.stopped = true;
  }
}

function rangeStart(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0] ?? 0;
}

function withKey<T extends { value: number }>(
  span: T,
  key: number | undefined,
): T & { key?: number } {
  return key === undefined ? span : { ...span, key };
}

/** Sets a key without invoking the `__proto__` setter, so YAML keys can never change a prototype. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
