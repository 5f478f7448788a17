import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { MAX_EXPRESSION_DEPTH } from './limits.js';
import { parseTemplate } from './parse-template.js';

/** Parses a template holding one expression and returns its tree. */
function parse(text: string): Expr {
  const parsed = parseTemplate(text);
  expect(parsed.errors).toEqual([]);
  const part = parsed.parts.find((p) => p.kind === 'expr');
  if (part?.kind !== 'expr' || part.expr === undefined) throw new Error('no expression');
  return part.expr;
}

/** The single syntax error of a template. */
function syntaxError(text: string): { code: string; message: string; offset: number } {
  const { errors } = parseTemplate(text);
  expect(errors).toHaveLength(1);
  return errors[0] as { code: string; message: string; offset: number };
}

describe('parser: literals', () => {
  it.each([
    ['${{ "double" }}', 'double'],
    ["${{ 'single' }}", 'single'],
    ['${{ "" }}', ''],
    ['${{ "it\'s" }}', "it's"],
    ["${{ 'say \\'hi\\'' }}", "say 'hi'"],
    ['${{ "a \\"b\\" c" }}', 'a "b" c'],
    ['${{ "back\\\\slash" }}', 'back\\slash'],
    ['${{ "ünïcödé 🚀" }}', 'ünïcödé 🚀'],
    ['${{ "line\nbreak" }}', 'line\nbreak'],
    ['${{ 42 }}', 42],
    ['${{ 0 }}', 0],
    ['${{ 1.25 }}', 1.25],
    ['${{ 007 }}', 7],
    ['${{ true }}', true],
    ['${{ false }}', false],
    ['${{ null }}', null],
  ])('%s is the literal %j', (text, value) => {
    expect(parse(text)).toEqual({ kind: 'literal', value, start: 4, end: text.length - 3 });
  });

  it('reads a name that only starts like a keyword as a name', () => {
    expect(parse('${{ true-ish }}')).toEqual({
      kind: 'identifier',
      name: 'true-ish',
      start: 4,
      end: 12,
    });
    expect(parse('${{ nullable }}')).toMatchObject({ kind: 'identifier', name: 'nullable' });
  });
});

describe('parser: names, access and calls', () => {
  it('parses names with digits, underscores and hyphens', () => {
    expect(parse('${{_a-b_9}}')).toEqual({ kind: 'identifier', name: '_a-b_9', start: 3, end: 9 });
  });

  it('parses dot access with the key offsets of the name', () => {
    expect(parse('${{ steps.my-step.x }}')).toEqual({
      kind: 'access',
      bracket: false,
      start: 4,
      end: 19,
      key: { kind: 'literal', value: 'x', start: 18, end: 19 },
      object: {
        kind: 'access',
        bracket: false,
        start: 4,
        end: 17,
        key: { kind: 'literal', value: 'my-step', start: 10, end: 17 },
        object: { kind: 'identifier', name: 'steps', start: 4, end: 9 },
      },
    });
  });

  it('parses dot access to keyword-like keys as names', () => {
    expect(parse('${{ a.true.null }}')).toMatchObject({
      key: { kind: 'literal', value: 'null' },
      object: { key: { kind: 'literal', value: 'true' } },
    });
  });

  it('parses bracket access with string and number keys', () => {
    expect(parse('${{ a["b c"][0][\'d\'] }}')).toEqual({
      kind: 'access',
      bracket: true,
      start: 4,
      end: 20,
      key: { kind: 'literal', value: 'd', start: 16, end: 19 },
      object: {
        kind: 'access',
        bracket: true,
        start: 4,
        end: 15,
        key: { kind: 'literal', value: 0, start: 13, end: 14 },
        object: {
          kind: 'access',
          bracket: true,
          start: 4,
          end: 12,
          key: { kind: 'literal', value: 'b c', start: 6, end: 11 },
          object: { kind: 'identifier', name: 'a', start: 4, end: 5 },
        },
      },
    });
  });

  it('parses an expression as a bracket key', () => {
    expect(parse('${{ a[b[c]] }}')).toEqual({
      kind: 'access',
      bracket: true,
      start: 4,
      end: 11,
      object: { kind: 'identifier', name: 'a', start: 4, end: 5 },
      key: {
        kind: 'access',
        bracket: true,
        start: 6,
        end: 10,
        object: { kind: 'identifier', name: 'b', start: 6, end: 7 },
        key: { kind: 'identifier', name: 'c', start: 8, end: 9 },
      },
    });
  });

  it('allows spaces and newlines between tokens', () => {
    expect(parse('${{\n  a . b [ "c" ]\t}}')).toMatchObject({
      kind: 'access',
      start: 6,
      end: 19,
      key: { value: 'c' },
      object: { key: { value: 'b' } },
    });
  });

  it('parses calls with no, one and several arguments', () => {
    expect(parse('${{ now() }}')).toEqual({
      kind: 'call',
      callee: 'now',
      calleeEnd: 7,
      args: [],
      start: 4,
      end: 9,
    });
    expect(parse('${{ secret("X") }}')).toEqual({
      kind: 'call',
      callee: 'secret',
      calleeEnd: 10,
      args: [{ kind: 'literal', value: 'X', start: 11, end: 14 }],
      start: 4,
      end: 15,
    });
    expect(parse('${{ f(1, a.b, g("x")) }}')).toMatchObject({
      kind: 'call',
      callee: 'f',
      args: [
        { kind: 'literal', value: 1 },
        { kind: 'access', start: 9, end: 12 },
        { kind: 'call', callee: 'g', start: 14, end: 20 },
      ],
      end: 21,
    });
  });

  it('parses access on a call result', () => {
    expect(parse('${{ f("x").y[0] }}')).toMatchObject({
      kind: 'access',
      key: { value: 0 },
      object: { kind: 'access', key: { value: 'y' }, object: { kind: 'call', callee: 'f' } },
    });
  });

  it('parses a chain as long as the length limit allows', () => {
    const chain = 'a' + '.b'.repeat(2000);
    let node = parse(`\${{${chain}}}`);
    let count = 0;
    while (node.kind === 'access') {
      node = node.object;
      count++;
    }
    expect(count).toBe(2000);
  });
});

describe('parser: syntax errors at the exact offset', () => {
  it.each([
    ['${{ a + b }}', 6, 'operators are not supported in expressions (found "+")'],
    ['${{ a || b }}', 6, 'operators are not supported in expressions (found "||")'],
    ['${{ a == "x" }}', 6, 'operators are not supported in expressions (found "==")'],
    ['${{ !a }}', 4, 'operators are not supported in expressions (found "!")'],
    ['${{ -1 }}', 4, 'operators are not supported in expressions (found "-")'],
    ['${{ a ? b : c }}', 6, 'operators are not supported in expressions (found "?")'],
    ['${{ f(a + 1) }}', 8, 'operators are not supported in expressions (found "+")'],
    ['${{ a b }}', 6, 'unexpected name "b" after the expression'],
    ['${{ a "b" }}', 6, 'unexpected string "b" after the expression'],
    ['${{ a) }}', 5, 'unexpected ")" after the expression'],
    ['${{ a. }}', 7, 'expected a key name after ".", found the end of the expression'],
    ['${{ a.0 }}', 6, 'expected a key name after ".", found number 0'],
    ['${{ a."b" }}', 6, 'expected a key name after ".", found string "b"'],
    ['${{ .a }}', 4, 'expected a value, found "."'],
    ['${{ a[ }}', 7, 'expected a value, found the end of the expression'],
    ['${{ a[] }}', 6, 'expected a value, found "]"'],
    ['${{ a["b" }}', 10, 'expected "]" to close "[", found the end of the expression'],
    ['${{ a["b", 1] }}', 9, 'expected "]" to close "[", found ","'],
    ['${{ f(1 }}', 8, 'expected ")" to close the call of f(), found the end of the expression'],
    ['${{ f(1,) }}', 8, 'expected a value, found ")"'],
    ['${{ f(,) }}', 6, 'expected a value, found ","'],
    ['${{ a.b() }}', 7, 'only a function name can be called'],
    ['${{ (a) }}', 4, 'expected a value, found "("'],
    ['${{ a @ }}', 6, 'unexpected character "@" (U+0040)'],
    ['${{ a { }}', 6, 'unexpected character "{" (U+007B)'],
    ['${{ é }}', 4, 'unexpected character "é" (U+00E9)'],
    ['${{ 🚀 }}', 4, 'unexpected character "🚀" (U+1F680)'],
    ['${{ 12abc }}', 4, 'invalid number "12abc"'],
    ['${{ "a\\nb" }}', 6, 'unknown escape "\\n" in a string'],
    ['${{ a ${{ b }}', 6, '"${{" inside an expression'],
  ])('%s fails at %i', (text, offset, message) => {
    expect(syntaxError(text)).toMatchObject({ code: 'EXPR_SYNTAX', offset, message });
  });

  it('reports offsets relative to the whole template, after unicode text', () => {
    const text = 'ü🚀 ${{ a + b }}';
    const error = syntaxError(text);
    expect(text[error.offset]).toBe('+');
    expect(error.offset).toBe(10);
  });

  it('hints that operators are not supported', () => {
    expect(parseTemplate('${{ a + b }}').errors[0]?.hint).toMatch(/one value/);
  });

  it('reports the first error when a later token is also bad', () => {
    expect(syntaxError('${{ a b @ }}')).toMatchObject({ offset: 6 });
  });
});

describe('parser: nesting depth', () => {
  const nested = (levels: number): string => `\${{ ${'a['.repeat(levels)}0${']'.repeat(levels)} }}`;

  it(`accepts ${String(MAX_EXPRESSION_DEPTH)} levels of brackets`, () => {
    expect(parseTemplate(nested(MAX_EXPRESSION_DEPTH)).errors).toEqual([]);
  });

  it('rejects one level more at the bracket that goes too deep', () => {
    const error = syntaxError(nested(MAX_EXPRESSION_DEPTH + 1));
    expect(error.code).toBe('EXPR_SYNTAX');
    expect(error.message).toMatch(/nest deeper than 32 levels/);
    expect(error.offset).toBe(4 + 2 * MAX_EXPRESSION_DEPTH + 1);
  });

  it('counts calls and brackets together', () => {
    const calls = `\${{ ${'f('.repeat(20)}${'a['.repeat(13)}0${']'.repeat(13)}${')'.repeat(20)} }}`;
    expect(syntaxError(calls).message).toMatch(/nest deeper/);
    const ok = `\${{ ${'f('.repeat(20)}${'a['.repeat(12)}0${']'.repeat(12)}${')'.repeat(20)} }}`;
    expect(parseTemplate(ok).errors).toEqual([]);
  });

  it('stops a nest of 1300 brackets (as deep as the length limit allows) at level 33', () => {
    expect(syntaxError(nested(1300))).toMatchObject({
      message: expect.stringMatching(/nest deeper/) as unknown,
      offset: 69,
    });
  });
});
