import { describe, expect, it } from 'vitest';
import { findExcessiveNesting } from './nesting-depth.js';

describe('findExcessiveNesting', () => {
  it('finds deep flow nesting at the first bracket past the limit', () => {
    const text = `a: ${'['.repeat(100)}${']'.repeat(100)}`;
    expect(findExcessiveNesting(text, 64)).toEqual({ offset: 3 + 64, kind: 'flow' });
  });

  it('finds deep block nesting by indentation', () => {
    const text = Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(findExcessiveNesting(text, 64)?.kind).toBe('block');
  });

  it('counts nested sequence dashes as levels', () => {
    expect(findExcessiveNesting(`${'- '.repeat(70)}x\n`, 64)?.kind).toBe('block');
  });

  it('ignores brackets in quotes, comments and apostrophes inside words', () => {
    const text = [
      `a: "${'['.repeat(100)}"`,
      `b: '${'{'.repeat(100)}'`,
      `# ${'['.repeat(100)}`,
      "c: it's fine [1, 2]",
      `d: "escaped \\" ${'['.repeat(100)}"`,
    ].join('\n');
    expect(findExcessiveNesting(text, 64)).toBeUndefined();
  });

  it('accepts realistic pipelines, including bash [[ ]] in block scalars', () => {
    const text = `pipeline:\n  steps:\n    - name: x\n      params:\n        command: |\n          if [[ -f a ]]; then\n            echo "it's [ok]"\n          fi\n`;
    expect(findExcessiveNesting(text, 64)).toBeUndefined();
  });
});
