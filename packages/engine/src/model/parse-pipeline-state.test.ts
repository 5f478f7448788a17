import { describe, expect, it } from 'vitest';
import { isRampartError } from '@rampart/core';
import type { JsonValue } from '../ports/engine-store.js';
import { decide } from '../decide/decide.js';
import { engineConfig } from '../decide/engine-config.js';
import { builtArtifact, plan, stage, step } from '../test-support/test-plans.js';
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

  it('reads a state written before artifact builds, and runs its deployments on', () => {
    // As an engine without builds stored it: no plan.artifacts, no builds, no lastBuilds, and a
    // per-stage copy without build.
    const old = {
      ...initialPipelineState('p1'),
      nextRevision: 2,
      deployments: [
        {
          id: 'p1:1',
          revision: 1,
          commitSha: 'abc',
          trigger: 'push',
          actor: 'webhook',
          plan: {
            pipelineSlug: 'web',
            stages: [
              {
                ...stage('staging', [step('A')]),
                artifacts: [{ name: 'Cfg', id: 'cfg', kind: 'bundle', bucket: 'b' }],
              },
            ],
          },
          status: 'running',
          currentStage: 0,
          stages: [
            { name: 'staging', status: 'waiting', waitingFor: 'stage_busy', run: 0, steps: [] },
          ],
          createdAt: '2026-01-05T12:00:00.000Z',
          updatedAt: '2026-01-05T12:00:00.000Z',
        },
      ],
    };
    const state = parsePipelineState(json(old), 'p1');
    const env = { now: '2026-01-05T12:01:00.000Z', config: engineConfig() };
    const cancelled = decide(
      state,
      {
        type: 'operation',
        operation: { kind: 'cancel', deploymentId: 'p1:1', actor: 'u', reason: 'r' },
      },
      env,
    );
    expect(cancelled.operation).toMatchObject({ ok: true });
    expect(cancelled.state.deployments[0]?.status).toBe('cancelled');
    const next = decide(
      state,
      {
        type: 'deployment-requested',
        request: {
          commitSha: 'def',
          trigger: 'push',
          actor: 'webhook',
          plan: { ...plan([stage('staging', [step('A')])]), artifacts: [builtArtifact('Api')] },
        },
      },
      env,
    );
    expect(next.state.deployments[1]?.status).toBe('building');
    expect(next.commands.map((c) => c.type)).toEqual(['build-artifact']);
    expect(() => parsePipelineState(json({ ...old, lastBuilds: [] }), 'p1')).toThrow(
      /"lastBuilds" is not an object/,
    );
  });
});
