import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS } from './line-splitter.js';

function split(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.write(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('splits on newlines across chunks, drops CR before LF and flushes the last line', () => {
    expect(split([Buffer.from('one\r\ntw'), Buffer.from('o\n\nthree')])).toEqual([
      'one',
      'two',
      '',
      'three',
    ]);
  });

  it('keeps a multi-byte character split between chunks intact', () => {
    const bytes = Buffer.from('naïve ✓\n');
    expect(split([bytes.subarray(0, 3), bytes.subarray(3, 9), bytes.subarray(9)])).toEqual([
      'naïve ✓',
    ]);
  });

  it('cuts runaway lines into pieces of MAX_LINE_CHARS', () => {
    const long = 'x'.repeat(MAX_LINE_CHARS * 2 + 5);
    const lines = split([Buffer.from(long.slice(0, 100)), Buffer.from(long.slice(100) + '\nend')]);
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS, 5, 3]);
    expect(lines.join('').startsWith(long)).toBe(true);
  });
});
