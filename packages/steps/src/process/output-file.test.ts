import { describe, expect, it } from 'vitest';
import { parseOutputFile } from './output-file.js';

describe('parseOutputFile', () => {
  it('reads KEY=VALUE lines, keeps = inside values, ignores comments and blanks, last wins', () => {
    const parsed = parseOutputFile(
      '# outputs\nURL=https://x.example/?a=b\n\nEMPTY=\nCOUNT=1\nCOUNT=2\r\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.outputs).toEqual({ URL: 'https://x.example/?a=b', EMPTY: '', COUNT: '2' });
  });

  it('reads multi-line values between KEY<<END and END', () => {
    const parsed = parseOutputFile('NOTES<<EOF\nline 1\nline 2\nEOF\nAFTER=yes\n');
    expect(parsed.outputs).toEqual({ NOTES: 'line 1\nline 2', AFTER: 'yes' });
  });

  it('reports malformed lines with their numbers and keeps the good ones', () => {
    const parsed = parseOutputFile('GOOD=1\njust text\n1BAD=x\nbad-key=y\nOPEN<<END\nnever closed');
    expect(parsed.outputs).toEqual({ GOOD: '1' });
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(parsed.problems[0]?.message).toBe('expected KEY=VALUE, got "just text"');
    expect(parsed.problems[1]?.message).toContain('"1BAD"');
    expect(parsed.problems[2]?.message).toContain('"bad-key"');
    expect(parsed.problems[3]?.message).toBe('"OPEN<<END" is never closed by a line "END"');
  });

  it('cannot be tricked into polluting prototypes', () => {
    const parsed = parseOutputFile('__proto__=x\nconstructor=y\n');
    expect(Object.getPrototypeOf(parsed.outputs)).toBe(Object.prototype);
    expect(Object.keys(parsed.outputs).sort()).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
