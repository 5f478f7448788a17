/** Turns zod issues into diagnostics with positions, plain messages and "did you mean" hints. */
import type { z } from 'zod';
import type { Diagnostic, ErrorCode } from '../errors/index.js';
import type { DataPath, PositionIndex } from '../loader/position-index.js';
import { nearest } from '../text/nearest.js';
import { describePath, kindOf, valueAt } from './describe-path.js';
import { keySynonyms } from './key-synonyms.js';
import { allowedKeysAt } from './zod-walk.js';

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  /** The schema the data was checked against, for listing allowed keys. */
  schema: z.ZodType;
  /** The data that was checked. */
  data: unknown;
  /** Where `data` sits inside the file, e.g. ['pipeline', 'steps', 2, 'params']. */
  basePath: DataPath;
  /** The whole file's data, for naming places. */
  fileData: unknown;
  positions: PositionIndex;
}

/** Converts every issue; a union's issues are reduced to the branch that fits the value best. */
export function issuesToDiagnostics(issues: readonly Issue[], ctx: IssueContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of flattenUnions(issues, ctx.data)) out.push(...convert(issue, ctx));
  return out;
}

function flattenUnions(issues: readonly Issue[], data: unknown): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union') {
      out.push(issue);
      continue;
    }
    const value = valueAt(data, issue.path as DataPath);
    // Prefer the branch whose root type matched: its issues are about the value's content.
    const branches = issue.errors.filter(
      (b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type'),
    );
    if (branches.length === 0) {
      out.push({
        ...issue,
        code: 'invalid_type',
        expected: unionExpected(issue),
        input: value,
      } as unknown as Issue);
      continue;
    }
    const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
    out.push(
      ...flattenUnions(
        best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
        data,
      ),
    );
  }
  return out;
}

function unionExpected(issue: Issue): string {
  if (issue.code !== 'invalid_union') return 'a valid value';
  const kinds = issue.errors.map((b) => {
    const root = b.find((i) => i.path.length === 0 && i.code === 'invalid_type');
    return root?.code === 'invalid_type' ? root.expected : 'value';
  });
  return [...new Set(kinds)].join(' or ');
}

function convert(issue: Issue, ctx: IssueContext): Diagnostic[] {
  const local = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const path = [...ctx.basePath, ...local];
  const where = describePath(ctx.fileData, path);
  const value = valueAt(ctx.data, local);
  const make = (
    code: ErrorCode,
    message: string,
    at: DataPath,
    hint?: string,
    key = false,
  ): Diagnostic => {
    const loc = key ? ctx.positions.locateKey(at) : ctx.positions.locate(at);
    const d: Diagnostic = { code, severity: 'error', message, ...loc };
    if (hint !== undefined) d.hint = hint;
    return d;
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(ctx.schema, local);
      return issue.keys.map((key) => {
        const suggestion = suggestKey(key, allowed);
        const message = `unknown key "${key}" in ${where}${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`;
        const hint =
          suggestion === undefined
            ? `Remove it. Allowed keys here: ${allowed.join(', ')}.`
            : `Rename "${key}" to "${suggestion}". Allowed keys here: ${allowed.join(', ')}.`;
        return make('SCHEMA_UNKNOWN_KEY', message, [...path, key], hint, true);
      });
    }
    case 'invalid_value':
    case 'invalid_type': {
      if (value === undefined) {
        const key = local[local.length - 1];
        const parent = describePath(ctx.fileData, path.slice(0, -1));
        return [
          make(
            'SCHEMA_MISSING_KEY',
            `missing required key "${String(key)}" in ${parent}`,
            path.slice(0, -1),
            `Add \`${String(key)}:\` (${issue.code === 'invalid_type' ? expectedText(issue.expected) : `one of ${issue.values.map(String).join(', ')}`}).`,
            path.length > 1,
          ),
        ];
      }
      if (issue.code === 'invalid_type')
        return [
          make(
            'SCHEMA_INVALID_TYPE',
            `${where} must be ${expectedText(issue.expected)}, not ${kindOf(value)}`,
            path,
            typeHint(issue.expected, value),
          ),
        ];
      const options = issue.values.map((v) => String(v));
      const suggestion =
        typeof value === 'string'
          ? nearest(value, options, { maxDistance: Math.max(2, Math.floor(value.length / 2)) })
          : undefined;
      return [
        make(
          'SCHEMA_INVALID_VALUE',
          `${where} must be one of ${options.join(', ')}, not ${kindOf(value)}${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
          path,
          `Use one of: ${options.join(', ')}.`,
        ),
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const word =
        issue.code === 'too_small'
          ? inclusive
            ? 'at least'
            : 'greater than'
          : inclusive
            ? 'at most'
            : 'less than';
      const what =
        issue.origin === 'array'
          ? `${word} ${String(bound)} item${Number(bound) === 1 ? '' : 's'}`
          : issue.origin === 'string'
            ? `${word} ${String(bound)} characters`
            : `${word} ${String(bound)}`;
      const verb = issue.origin === 'array' || issue.origin === 'string' ? 'must have' : 'must be';
      return [make('SCHEMA_INVALID_VALUE', `${where} ${verb} ${what}`, path)];
    }
    case 'invalid_format':
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
    case 'invalid_union':
      return [make('SCHEMA_INVALID_VALUE', `${where}: ${issue.message}`, path)];
  }
}

function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const typo = nearest(key, allowed);
  if (typo !== undefined) return typo;
  if (!Object.hasOwn(keySynonyms, key)) return undefined;
  return keySynonyms[key]?.find((k) => allowed.includes(k));
}

function expectedText(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a map';
    default:
      return expected;
  }
}

function typeHint(expected: string, value: unknown): string | undefined {
  if (expected === 'array' && typeof value === 'string')
    return `Write a list: [${JSON.stringify(value)}].`;
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
    return `Quote the value: "${String(value)}".`;
  if (expected === 'object' || expected === 'record')
    return 'Write a map of `key: value` lines, indented under the key.';
  return undefined;
}
