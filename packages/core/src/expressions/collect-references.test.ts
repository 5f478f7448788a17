import { describe, expect, it } from 'vitest';
import { collectExpressionReferences, collectReferences } from './collect-references.js';
import { parseTemplate } from './parse-template.js';

const refs = (text: string): ReturnType<typeof collectReferences> =>
  collectReferences(parseTemplate(text));

describe('collectReferences', () => {
  it('lists the path of a chain with dot and bracket keys', () => {
    expect(refs('${{ stage.artifacts["Web"].image_url }}')).toEqual([
      {
        kind: 'path',
        path: ['stage', 'artifacts', 'Web', 'image_url'],
        offsets: [4, 10, 20, 27],
        offset: 4,
        dynamic: false,
      },
    ]);
  });

  it('keeps number keys as numbers', () => {
    expect(refs("${{ a[0]['b'] }}")).toMatchObject([{ path: ['a', 0, 'b'], dynamic: false }]);
  });

  it('lists references of several expressions in order', () => {
    expect(
      refs('${{ steps.my-step.out }}-${{ vars.x }}').map((r) => r.kind === 'path' && r.path),
    ).toEqual([
      ['steps', 'my-step', 'out'],
      ['vars', 'x'],
    ]);
  });

  it('stops a path at a computed key and lists the key expression on its own', () => {
    expect(refs('${{ a[b[c]].d }}')).toEqual([
      { kind: 'path', path: ['a'], offsets: [4], offset: 4, dynamic: true },
      { kind: 'path', path: ['b'], offsets: [6], offset: 6, dynamic: true },
      { kind: 'path', path: ['c'], offsets: [8], offset: 8, dynamic: false },
    ]);
    expect(refs('${{ steps[vars.s].out }}')).toMatchObject([
      { path: ['steps'], dynamic: true },
      { path: ['vars', 's'], dynamic: false },
    ]);
  });

  it('treats boolean and null keys as computed', () => {
    expect(refs('${{ a[true].b }}')).toMatchObject([{ path: ['a'], dynamic: true }]);
  });

  it('lists calls with literal arguments and the references in their arguments', () => {
    expect(refs('${{ secret("DB") }} ${{ f(1, true, null, vars.x, g()) }}')).toEqual([
      { kind: 'call', call: 'secret', args: ['DB'], offset: 4 },
      { kind: 'call', call: 'f', args: [1, true, null, undefined, undefined], offset: 24 },
      { kind: 'path', path: ['vars', 'x'], offsets: [41, 46], offset: 41, dynamic: false },
      { kind: 'call', call: 'g', args: [], offset: 49 },
    ]);
  });

  it('does not list a path for chains rooted at a call or a literal', () => {
    expect(refs('${{ secret("X").a[vars.k] }}')).toEqual([
      { kind: 'call', call: 'secret', args: ['X'], offset: 4 },
      { kind: 'path', path: ['vars', 'k'], offsets: [18, 23], offset: 18, dynamic: false },
    ]);
    expect(refs('${{ "lit" }}')).toEqual([]);
  });

  it('skips text, escapes and expressions with errors', () => {
    expect(refs('text $${{ a.b }} ${{ c + d }} ${{ e')).toEqual([]);
  });

  it('works on one expression', () => {
    const part = parseTemplate('${{ x.y }}').parts[0];
    if (part?.kind !== 'expr' || part.expr === undefined) throw new Error('no expression');
    expect(collectExpressionReferences(part.expr)).toMatchObject([{ path: ['x', 'y'] }]);
  });
});
