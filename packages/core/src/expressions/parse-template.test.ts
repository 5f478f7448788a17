import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_LENGTH } from './limits.js';
import { hasExpression, parseTemplate } from './parse-template.js';

describe('parseTemplate: splitting', () => {
  it('keeps a string without expressions as one text part', () => {
    expect(parseTemplate('plain text }} {{ $ {')).toEqual({
      text: 'plain text }} {{ $ {',
      parts: [{ kind: 'text', text: 'plain text }} {{ $ {' }],
      errors: [],
    });
  });

  it('gives no parts for the empty string', () => {
    expect(parseTemplate('')).toEqual({ text: '', parts: [], errors: [] });
  });

  it('splits text and expressions with offsets of ${{ and after }}', () => {
    const text = 'MyRole-${{ stage.name }}-x';
    const parsed = parseTemplate(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts).toMatchObject([
      { kind: 'text', text: 'MyRole-' },
      { kind: 'expr', source: ' stage.name ', start: 7, end: 24 },
      { kind: 'text', text: '-x' },
    ]);
    expect(text.slice(7, 24)).toBe('${{ stage.name }}');
  });

  it('parses several expressions in one string, adjacent or not', () => {
    const parsed = parseTemplate('${{a}}${{ b }} and ${{c}}');
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts.map((p) => (p.kind === 'text' ? p.text : p.source))).toEqual([
      'a',
      ' b ',
      ' and ',
      'c',
    ]);
    expect(parsed.parts.filter((p) => p.kind === 'expr').map((p) => [p.start, p.end])).toEqual([
      [0, 6],
      [6, 14],
      [19, 25],
    ]);
  });

  it('keeps the spaces around a lone expression as text', () => {
    const parsed = parseTemplate(' ${{ a }} ');
    expect(parsed.parts.map((p) => p.kind)).toEqual(['text', 'expr', 'text']);
  });

  it('ends an expression at the first }} outside quotes', () => {
    const text = '${{ vars["a}}b"] }}!';
    const parsed = parseTemplate(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts[0]).toMatchObject({ kind: 'expr', source: ' vars["a}}b"] ', end: 19 });
    expect(parsed.parts[1]).toEqual({ kind: 'text', text: '!' });
    const single = parseTemplate("${{ vars['}}'] }}");
    expect(single.errors).toEqual([]);
    expect(single.parts).toHaveLength(1);
  });

  it('skips escaped quotes when looking for }}', () => {
    const parsed = parseTemplate('${{ vars["a\\"}}"] }}');
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts).toHaveLength(1);
    expect(parsed.parts[0]).toMatchObject({
      expr: { kind: 'access', key: { kind: 'literal', value: 'a"}}' } },
    });
  });

  it('leaves a third } after }} as text', () => {
    const parsed = parseTemplate('{${{ a }}}');
    expect(parsed.parts.map((p) => (p.kind === 'text' ? p.text : p.source))).toEqual([
      '{',
      ' a ',
      '}',
    ]);
  });

  it('keeps unicode text verbatim and counts offsets in UTF-16 code units', () => {
    const text = 'héllo 🚀 ${{ stage.name }} — ✓ ${{ x }}';
    const parsed = parseTemplate(text);
    expect(parsed.errors).toEqual([]);
    const exprs = parsed.parts.filter((p) => p.kind === 'expr');
    expect(exprs.map((p) => text.slice(p.start, p.end))).toEqual(['${{ stage.name }}', '${{ x }}']);
    expect(exprs[0]?.start).toBe(9);
    expect(parsed.parts[0]).toEqual({ kind: 'text', text: 'héllo 🚀 ' });
    expect(parsed.parts[2]).toEqual({ kind: 'text', text: ' — ✓ ' });
  });
});

describe('parseTemplate: the $${{ escape', () => {
  it('turns $${{ into a literal ${{', () => {
    expect(parseTemplate('echo $${{ not.an.expression }}')).toEqual({
      text: 'echo $${{ not.an.expression }}',
      parts: [{ kind: 'text', text: 'echo ${{ not.an.expression }}' }],
      errors: [],
    });
  });

  it('merges escaped text with the text around it and parses expressions after it', () => {
    const parsed = parseTemplate('a $${{ b ${{ c }}');
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts).toMatchObject([
      { kind: 'text', text: 'a ${{ b ' },
      { kind: 'expr', source: ' c ', start: 9 },
    ]);
  });

  it('escapes only the dollar right before ${{', () => {
    expect(parseTemplate('$$${{').parts).toEqual([{ kind: 'text', text: '$${{' }]);
    expect(parseTemplate('$$ and $').parts).toEqual([{ kind: 'text', text: '$$ and $' }]);
    expect(parseTemplate('$${{$${{').parts).toEqual([{ kind: 'text', text: '${{${{' }]);
  });
});

describe('hasExpression', () => {
  it('finds an unescaped ${{', () => {
    expect(hasExpression('a ${{ b }}')).toBe(true);
    expect(hasExpression('${{')).toBe(true);
    expect(hasExpression('$${{ x }} ${{ y }}')).toBe(true);
    expect(hasExpression('$${{${{ y }}')).toBe(true);
  });

  it('ignores text without ${{ and escaped ones', () => {
    expect(hasExpression('')).toBe(false);
    expect(hasExpression('{{ a }} $ {')).toBe(false);
    expect(hasExpression('$${{ a }}')).toBe(false);
    expect(hasExpression('$${{$${{')).toBe(false);
  });
});

describe('parseTemplate: errors', () => {
  it('reports an unterminated expression at its ${{ and keeps earlier parts', () => {
    const parsed = parseTemplate('ok ${{ a }} then ${{ b');
    expect(parsed.errors).toEqual([
      expect.objectContaining({ code: 'EXPR_UNTERMINATED', offset: 17 }),
    ]);
    expect(parsed.parts).toMatchObject([
      { kind: 'text', text: 'ok ' },
      { kind: 'expr', source: ' a ', expr: { kind: 'identifier', name: 'a' } },
      { kind: 'text', text: ' then ' },
      { kind: 'expr', source: ' b', expr: undefined, start: 17, end: 22 },
    ]);
  });

  it('reports a single } as unterminated', () => {
    expect(parseTemplate('${{ a }').errors).toMatchObject([
      { code: 'EXPR_UNTERMINATED', offset: 0 },
    ]);
  });

  it('reports an unclosed quote that swallowed the }} at the quote', () => {
    const parsed = parseTemplate('x ${{ vars["a }} y');
    expect(parsed.errors).toEqual([
      expect.objectContaining({ code: 'EXPR_SYNTAX', offset: 11, message: 'string is not closed' }),
    ]);
  });

  it('reports an unclosed quote with no }} at all as unterminated', () => {
    expect(parseTemplate("${{ vars['a").errors).toMatchObject([
      { code: 'EXPR_UNTERMINATED', offset: 0 },
    ]);
  });

  it('reports an empty expression at its ${{', () => {
    expect(parseTemplate('a ${{ }}').errors).toMatchObject([{ code: 'EXPR_SYNTAX', offset: 2 }]);
    expect(parseTemplate('${{}}').errors).toMatchObject([
      { code: 'EXPR_SYNTAX', offset: 0, message: 'empty expression' },
    ]);
  });

  it('reports one error per bad expression and still parses the good ones', () => {
    const parsed = parseTemplate('${{ a + b }} ${{ ok }} ${{ c[ }}');
    expect(parsed.errors.map((e) => [e.code, e.offset])).toEqual([
      ['EXPR_SYNTAX', 6],
      ['EXPR_SYNTAX', 30],
    ]);
    const exprs = parsed.parts.filter((p) => p.kind === 'expr');
    expect(exprs.map((p) => p.expr?.kind)).toEqual([undefined, 'identifier', undefined]);
  });

  it('accepts a body of exactly the limit and rejects one character more', () => {
    const name = 'a'.repeat(MAX_EXPRESSION_LENGTH);
    expect(parseTemplate(`\${{${name}}}`).errors).toEqual([]);
    const parsed = parseTemplate(`xy\${{${name} }}z`);
    expect(parsed.errors).toEqual([expect.objectContaining({ code: 'EXPR_TOO_LONG', offset: 2 })]);
    expect(parsed.parts.at(-1)).toEqual({ kind: 'text', text: 'z' });
  });
});

describe('parseTemplate: large inputs', () => {
  it('reports a 100 KB expression as too long without parsing it', () => {
    // Full of tokens that would be syntax errors if they were tokenized.
    const body = ' + ?'.repeat(25_000);
    const parsed = parseTemplate(`a \${{${body}}} b`);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ code: 'EXPR_TOO_LONG', offset: 2 });
    expect(parsed.parts).toHaveLength(3);
    expect(parsed.parts[2]).toEqual({ kind: 'text', text: ' b' });
  });

  it('parses 10,000 expressions in one string', () => {
    const text = 'x${{ a.b }}'.repeat(10_000);
    const parsed = parseTemplate(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts).toHaveLength(20_000);
    expect(parsed.parts[19_999]).toMatchObject({ kind: 'expr', start: text.length - 10 });
  });

  it('reports 10,000 unclosed ${{ once, at the first', () => {
    const parsed = parseTemplate('${{ a'.repeat(10_000));
    expect(parsed.errors).toEqual([
      expect.objectContaining({ code: 'EXPR_UNTERMINATED', offset: 0 }),
    ]);
    expect(parsed.parts).toHaveLength(1);
  });

  it('reports ${{ inside an open expression at the inner ${{', () => {
    const parsed = parseTemplate('${{ a '.repeat(10_000) + '}}');
    expect(parsed.errors).toMatchObject([{ code: 'EXPR_TOO_LONG', offset: 0 }]);
    expect(parseTemplate('${{ a ${{ b }}').errors).toEqual([
      expect.objectContaining({
        code: 'EXPR_SYNTAX',
        offset: 6,
        message: '"${{" inside an expression',
      }),
    ]);
  });

  it('handles 10,000 escapes and broken expressions', () => {
    expect(parseTemplate('$${{'.repeat(10_000)).parts).toEqual([
      { kind: 'text', text: '${{'.repeat(10_000) },
    ]);
    const parsed = parseTemplate('${{ + }}'.repeat(10_000));
    expect(parsed.errors).toHaveLength(10_000);
    expect(parsed.errors[9_999]).toMatchObject({ code: 'EXPR_SYNTAX', offset: 79_996 });
  });
});
