import { describe, expect, it } from 'vitest';
import { parseJsonLogLine } from './json-log-line.js';

describe('parseJsonLogLine', () => {
  it('shows the message, errors and warnings on stderr, other fields as JSON', () => {
    expect(parseJsonLogLine('{"level":"info","message":"deploying"}')).toEqual({
      text: 'deploying',
      stream: 'stdout',
    });
    expect(parseJsonLogLine('{"level":"ERROR","msg":"broke","timestamp":"t"}')).toEqual({
      text: 'broke',
      stream: 'stderr',
    });
    expect(parseJsonLogLine('{"level":"warn","message":"slow","data":{"ms":5}}')).toEqual({
      text: 'slow {"data":{"ms":5}}',
      stream: 'stderr',
    });
  });

  it('keeps lines that are not JSON objects with a message as written', () => {
    expect(parseJsonLogLine('plain text')).toEqual({ text: 'plain text', stream: 'stdout' });
    expect(parseJsonLogLine('[1,2]')).toEqual({ text: '[1,2]', stream: 'stdout' });
    expect(parseJsonLogLine('{"level":"error"}')).toEqual({
      text: '{"level":"error"}',
      stream: 'stderr',
    });
  });
});
