import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_AFTER_MS, parseStepProgramResult } from './step-program-result.js';

// Typed asymmetric matchers: vitest types them `any`.
const containing = (text: string): string => expect.stringContaining(text) as string;

describe('parseStepProgramResult', () => {
  it('reads each status with its fields and defaults', () => {
    expect(parseStepProgramResult('{"status":"SUCCESS","outputs":{"a":1}}')).toEqual({
      ok: true,
      result: { status: 'SUCCESS', outputs: { a: 1 } },
    });
    expect(parseStepProgramResult('{"status":"SUCCESS"}')).toEqual({
      ok: true,
      result: { status: 'SUCCESS', outputs: {} },
    });
    expect(parseStepProgramResult('{"status":"FAILED","error":"boom"}')).toEqual({
      ok: true,
      result: { status: 'FAILED', error: 'boom' },
    });
    expect(parseStepProgramResult('{"status":"FAILED"}')).toMatchObject({
      result: { status: 'FAILED', error: containing('without a reason') },
    });
    expect(
      parseStepProgramResult('{"status":"TRIGGERED","pollingState":{"id":"x"},"retryAfterMs":10}'),
    ).toEqual({
      ok: true,
      result: { status: 'TRIGGERED', pollingState: { id: 'x' }, retryAfterMs: 10 },
    });
    expect(parseStepProgramResult('{"status":"TRIGGERED"}')).toEqual({
      ok: true,
      result: { status: 'TRIGGERED', pollingState: {}, retryAfterMs: DEFAULT_RETRY_AFTER_MS },
    });
    expect(
      parseStepProgramResult('{"status":"POLL_AGAIN","pollingState":[1,2],"retryAfterMs":0}'),
    ).toEqual({
      ok: true,
      result: { status: 'POLL_AGAIN', pollingState: [1, 2], retryAfterMs: 0 },
    });
  });

  it("shows the approval context's message, or the context itself", () => {
    expect(
      parseStepProgramResult(
        '{"status":"APPROVAL_REQUIRED","approvalContext":{"message":"Go?","plan":1}}',
      ),
    ).toEqual({
      ok: true,
      result: {
        status: 'APPROVAL_REQUIRED',
        approvalContext: { message: 'Go?', plan: 1 },
        message: 'Go?',
      },
    });
    expect(
      parseStepProgramResult('{"status":"APPROVAL_REQUIRED","approvalContext":{"plan":1}}'),
    ).toMatchObject({ result: { message: 'the step asks for approval of {"plan":1}' } });
    expect(
      parseStepProgramResult(
        '{"status":"APPROVAL_REQUIRED","approvalContext":{"message":"a"},"message":"b"}',
      ),
    ).toMatchObject({ result: { message: 'b' } });
  });

  it('names what is wrong with a bad result', () => {
    expect(parseStepProgramResult('')).toEqual({ ok: false, problem: 'the result file is empty' });
    expect(parseStepProgramResult('{"status":')).toMatchObject({
      ok: false,
      problem: containing('is not JSON'),
    });
    expect(parseStepProgramResult('{"status":"DONE"}')).toEqual({
      ok: false,
      problem:
        'the result\'s status is "DONE", expected SUCCESS, FAILED, APPROVAL_REQUIRED, TRIGGERED or POLL_AGAIN',
    });
    expect(parseStepProgramResult('[]')).toMatchObject({
      ok: false,
      problem: containing('status is missing'),
    });
    expect(parseStepProgramResult('{"status":"POLL_AGAIN","pollingState":{}}')).toMatchObject({
      ok: false,
      problem: containing('retryAfterMs'),
    });
    expect(
      parseStepProgramResult('{"status":"POLL_AGAIN","pollingState":{},"retryAfterMs":-1}'),
    ).toMatchObject({ ok: false, problem: containing('retryAfterMs') });
    expect(parseStepProgramResult('{"status":"SUCCESS","outputs":[1]}')).toMatchObject({
      ok: false,
      problem: containing('outputs'),
    });
  });
});
