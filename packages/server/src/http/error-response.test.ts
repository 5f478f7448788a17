import { RampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { DetailedError, EngineRefusal } from '../services/detailed-error.js';
import { errorResponse } from './error-response.js';

describe('errorResponse', () => {
  it('answers the status of each API code, with message, hint and details', () => {
    expect(
      errorResponse(
        new DetailedError(
          'PIPELINE_INVALID',
          'pipeline "web" has 1 error',
          {
            diagnostics: [
              {
                code: 'STEP_CYCLE',
                severity: 'error',
                message: 'cycle',
                file: 'p.yaml',
                line: 3,
                column: 5,
              },
            ],
          },
          { hint: 'fix it' },
        ),
      ),
    ).toEqual({
      status: 422,
      internal: false,
      body: {
        error: {
          code: 'PIPELINE_INVALID',
          message: 'pipeline "web" has 1 error',
          hint: 'fix it',
          diagnostics: [
            {
              code: 'STEP_CYCLE',
              severity: 'error',
              message: 'cycle',
              file: 'p.yaml',
              line: 3,
              column: 5,
            },
          ],
        },
      },
    });
    expect(errorResponse(new RampartError('API_FORBIDDEN', 'no')).status).toBe(403);
    expect(errorResponse(new EngineRefusal('STAGE_BUSY', 'busy', 409))).toEqual({
      status: 409,
      internal: false,
      body: { error: { code: 'STAGE_BUSY', message: 'busy' } },
    });
  });

  it('another user error is 400; a system failure is 500 with the code only', () => {
    expect(errorResponse(new RampartError('STEP_CYCLE', 'a cycle')).status).toBe(400);
    const system = errorResponse(
      new RampartError(
        'STORE_BUSY',
        'the SQLite database /var/lib/rampart/rampart.db stayed locked',
        {
          source: 'system',
        },
      ),
    );
    expect(system).toEqual({
      status: 500,
      internal: true,
      body: { error: { code: 'STORE_BUSY', message: 'the server failed to answer' } },
    });
    expect(errorResponse(new TypeError('x is undefined'))).toMatchObject({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'the server failed to answer' } },
    });
  });
});
