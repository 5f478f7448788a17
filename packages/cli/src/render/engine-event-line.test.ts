import { describe, expect, it } from 'vitest';
import { renderEventLine } from './engine-event-line.js';

const base = { seq: 1, at: '2026-03-01T10:00:03.000Z', pipeline: 'web', actor: 'system' };

describe('renderEventLine', () => {
  it('names the artifact of a build event, with the reuse note', () => {
    expect(
      renderEventLine({
        ...base,
        type: 'artifact.reused',
        revision: 3,
        data: {
          artifact: 'Api',
          message: 'reused build of revision 2 (commit abc1234): no change under api/',
        },
      }),
    ).toBe(
      '10:00:03Z  #3  artifact.reused  Api: reused build of revision 2 (commit abc1234): no change under api/\n',
    );
    expect(
      renderEventLine({
        ...base,
        type: 'artifact.build_started',
        revision: 3,
        data: { artifact: 'Api' },
      }),
    ).toBe('10:00:03Z  #3  artifact.build_started  Api\n');
  });

  it('leaves other events as they were', () => {
    expect(
      renderEventLine({
        ...base,
        type: 'operation.approved',
        revision: 3,
        stage: 'prod',
        step: 'Approve',
        actor: 'token:alice',
        reason: 'fine',
        data: { revision: 3 },
      }),
    ).toBe('10:00:03Z  #3 prod/Approve  operation.approved  by token:alice: fine\n');
  });
});
