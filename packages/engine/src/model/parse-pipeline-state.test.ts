import { describe, expect, it } from 'vitest';
import { isRampartError } from '@rampart/core';
import type { JsonValue } from '../ports/engine-store.js';
import { parsePipelineState } from './parse-pipeline-state.js';
import { initialPipelineState } from './pipeline-state.js';

const json = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isRampartError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('parsePipelineState', () => {
  it('reads what the engine writes', () => {
    const state = initialPipelineState('p1');
    expect(parsePipelineState(json(state), 'p1')).toEqual(state);
  });

  it('refuses another schema version, naming both', () => {
    const state = { ...initialPipelineState('p1'), schemaVersion: 2 };
    expect(messageOf(() => parsePipelineState(json(state), 'p1'))).toMatch(
      /schema version 2; this engine reads version 1/,
    );
  });

  it('refuses a document of another pipeline or a damaged one', () => {
    expect(messageOf(() => parsePipelineState(json(initialPipelineState('p2')), 'p1'))).toMatch(
      /names another pipeline/,
    );
    expect(messageOf(() => parsePipelineState([], 'p1'))).toMatch(/not an object/);
    const noList = { ...initialPipelineState('p1'), deployments: {} };
    expect(messageOf(() => parsePipelineState(json(noList), 'p1'))).toMatch(
      /"deployments" is not a list/,
    );
    const noTracks = { ...initialPipelineState('p1'), tracks: [] };
    expect(messageOf(() => parsePipelineState(json(noTracks), 'p1'))).toMatch(
      /"tracks" is not an object/,
    );
    const { nextRevision: _n, ...noCounter } = initialPipelineState('p1');
    expect(messageOf(() => parsePipelineState(json(noCounter), 'p1'))).toMatch(/counters/);
  });
});
