// decide on its own: a deterministic simulator answers its commands, with no runtime in between.
import { describe, expect, it } from 'vitest';
import { initialPipelineState, type PipelineState } from '../model/pipeline-state.js';
import {
  bake,
  builtArtifact,
  chain,
  ecsDeploy,
  ECS_PARAMS,
  plan,
  stage,
  step,
  threeStagePlan,
} from '../test-support/test-plans.js';
import type { EngineCommandSpec } from './commands.js';
import { decide, type Decision } from './decide.js';
import { engineConfig } from './engine-config.js';
import type { EngineInput } from './inputs.js';

const START = Date.parse('2026-05-04T09:00:00Z');

interface Scripted {
  at: number;
  input: EngineInput;
}

/** Answers every command the way a healthy world would, in due order; returns every decision. */
function simulate(
  script: Scripted[],
  config = engineConfig(),
  freeze = false,
): { decisions: Decision[]; state: PipelineState } {
  let state = initialPipelineState('p1');
  const decisions: Decision[] = [];
  const outbox: { command: EngineCommandSpec; due: number; seq: number }[] = [];
  const done = new Set<string>();
  let now = START;
  let seq = 0;
  const pending = [...script];
  const apply = (input: EngineInput) => {
    // A frozen input state makes any write to it throw (modules run in strict mode).
    if (freeze) deepFreeze(state);
    const decision = decide(state, input, { now: new Date(now).toISOString(), config });
    decisions.push(decision);
    state = decision.state;
    for (const command of decision.commands) {
      if (done.has(command.id) || outbox.some((o) => o.command.id === command.id)) continue;
      outbox.push({
        command,
        due: command.dueAt === undefined ? now : Date.parse(command.dueAt),
        seq: seq++,
      });
    }
  };
  for (let guard = 0; guard < 5000; guard++) {
    outbox.sort((a, b) => a.due - b.due || a.seq - b.seq);
    const nextCommand = outbox[0];
    const nextScript = pending[0];
    if (
      nextScript !== undefined &&
      (nextCommand === undefined || nextScript.at <= nextCommand.due)
    ) {
      pending.shift();
      now = Math.max(now, nextScript.at);
      apply(nextScript.input);
      continue;
    }
    if (nextCommand === undefined) break;
    // Alarm polls go on forever; stop once nothing else is left.
    if (pending.length === 0 && outbox.every((o) => o.command.type === 'poll-alarms')) break;
    outbox.shift();
    done.add(nextCommand.command.id);
    now = Math.max(now, nextCommand.due);
    apply(answer(nextCommand.command));
  }
  return { decisions, state };
}

function answer(command: EngineCommandSpec): EngineInput {
  switch (command.type) {
    case 'build-artifact':
      return {
        type: 'artifact-built',
        commandId: command.id,
        deploymentId: command.payload.deploymentId,
        index: command.payload.index,
        outcome: {
          kind: 'succeeded',
          fields: { image_digest: `sha256:${command.payload.commitSha}` },
        },
      };
    case 'execute-step':
      return {
        type: 'step-finished',
        commandId: command.id,
        ref: command.payload.ref,
        outcome: { kind: 'succeeded', outputs: { call: command.payload.call } },
      };
    case 'rollback-step':
      return {
        type: 'rollback-step-finished',
        commandId: command.id,
        rollbackId: command.payload.rollbackId,
        outcome: { kind: 'succeeded', outputs: {} },
      };
    case 'mirror-artifacts':
      return {
        type: 'artifacts-mirrored',
        commandId: command.id,
        ref: command.payload.ref,
        outcome: { kind: 'succeeded', artifacts: {} },
      };
    case 'check-resources':
      return {
        type: 'resources-checked',
        commandId: command.id,
        ref: command.payload.ref,
        problems: [],
        alarms: [],
      };
    case 'set-timer':
      return { type: 'timer-fired', commandId: command.id, timer: command.payload.timer };
    case 'poll-alarms':
      return {
        type: 'alarms-polled',
        commandId: command.id,
        stage: command.payload.target.stage,
        readings: [],
      };
    case 'cancel-step':
      return { type: 'command-done', commandId: command.id };
  }
}

const request = (image: string, at: number): Scripted => ({
  at,
  input: {
    type: 'deployment-requested',
    request: { commitSha: image, trigger: 'push', actor: 'webhook', plan: threeStagePlan(image) },
  },
});

/** Two revisions, an alarm during the second one's staging bake, OK later, and an operation. */
const SCRIPT: Scripted[] = [
  request('api:1', START),
  request('api:2', START + 95 * 60_000),
  {
    at: START + 100 * 60_000,
    input: {
      type: 'alarm-observed',
      observation: {
        accountId: '222222222222',
        region: 'us-east-1',
        alarm: 'staging-5xx',
        state: 'ALARM',
        changedAt: new Date(START + 99 * 60_000).toISOString(),
      },
    },
  },
  {
    at: START + 110 * 60_000,
    input: {
      type: 'alarm-observed',
      observation: {
        accountId: '222222222222',
        region: 'us-east-1',
        alarm: 'staging-5xx',
        state: 'OK',
        changedAt: new Date(START + 109 * 60_000).toISOString(),
      },
    },
  },
  request('api:3', START + 111 * 60_000),
  {
    at: START + 112 * 60_000,
    input: {
      type: 'operation',
      operation: { kind: 'stop', stage: 'prod-west', actor: 'user:a', reason: 'freeze' },
    },
  },
];

/** Pushed alarm events drive these scenarios; a slow poll keeps the decision count small. */
const QUIET = engineConfig({ alarmPollIntervalMs: 15 * 60_000 });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('decide', () => {
  it('replays: the same inputs give the same states, commands and events', () => {
    const first = simulate(SCRIPT, QUIET);
    const second = simulate(SCRIPT, QUIET);
    expect(second.decisions).toEqual(first.decisions);
    const final = first.state;
    expect(final.deployments.map((d) => [d.revision, d.status])).toEqual([
      [1, 'succeeded'],
      [2, 'rolled_back'],
      [3, 'running'],
    ]);
    expect(final.deployments[2]?.stages.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'waiting',
    ]);
    expect(final.rollbacks[0]).toMatchObject({ timeToDetectMs: 60_000, status: 'succeeded' });
    // The state is plain JSON: a stored copy reads back the same.
    for (const d of first.decisions) expect(JSON.parse(JSON.stringify(d.state))).toEqual(d.state);
  });

  it('never changes the state it is given', () => {
    expect(simulate(SCRIPT, QUIET, true).decisions).toEqual(simulate(SCRIPT, QUIET).decisions);
  });

  it('gives every command id one meaning: a repeated id always carries the same command', () => {
    const { decisions } = simulate(SCRIPT, QUIET);
    const seen = new Map<string, string>();
    for (const d of decisions) {
      for (const c of d.commands) {
        const text = JSON.stringify(c);
        expect(seen.get(c.id) ?? text, c.id).toBe(text);
        seen.set(c.id, text);
      }
    }
    expect(seen.size).toBeGreaterThan(30);
  });

  it('ignores results of commands that are no longer in flight', () => {
    const { state, decisions } = simulate([request('api:1', START)], QUIET);
    const firstCall = decisions.flatMap((d) => d.commands).find((c) => c.type === 'execute-step');
    if (firstCall?.type !== 'execute-step') throw new Error('no step call');
    const late = decide(
      state,
      {
        type: 'step-finished',
        commandId: firstCall.id,
        ref: firstCall.payload.ref,
        outcome: { kind: 'failed', message: 'late' },
      },
      { now: new Date(START + 1e9).toISOString(), config: engineConfig() },
    );
    expect(late.state.deployments).toEqual(state.deployments);
    expect(late.events).toEqual([]);
  });

  it('builds the artifacts first, a bounded number at a time, and ignores late build results', () => {
    const withArtifacts = {
      ...threeStagePlan('api:1'),
      artifacts: [builtArtifact('A'), builtArtifact('B'), builtArtifact('C')],
    };
    const script: Scripted[] = [
      {
        at: START,
        input: {
          type: 'deployment-requested',
          request: { commitSha: 'abc', trigger: 'push', actor: 'webhook', plan: withArtifacts },
        },
      },
    ];
    const { decisions, state } = simulate(script, { ...QUIET, buildConcurrency: 2 });
    expect(simulate(script, { ...QUIET, buildConcurrency: 2 }).decisions).toEqual(decisions);
    const builds = decisions.map(
      (d) => d.commands.filter((c) => c.type === 'build-artifact').length,
    );
    // Two at once on request, then one more when the first result comes back.
    expect(builds.slice(0, 3)).toEqual([2, 1, 0]);
    const firstStep = decisions.findIndex((d) =>
      d.commands.some((c) => c.type === 'check-resources'),
    );
    const lastBuild = decisions.findLastIndex((d) =>
      d.events.some((e) => e.type === 'artifact.built'),
    );
    expect(firstStep).toBe(lastBuild);
    const d = state.deployments[0];
    expect(d?.builds?.map((b) => b.fields?.['image_digest'])).toEqual([
      'sha256:abc',
      'sha256:abc',
      'sha256:abc',
    ]);
    const late = decide(
      state,
      {
        type: 'artifact-built',
        commandId: d?.builds?.[0]?.commandId ?? '',
        deploymentId: d?.id ?? '',
        index: 0,
        outcome: { kind: 'failed', message: 'late' },
      },
      { now: new Date(START + 1e9).toISOString(), config: engineConfig() },
    );
    expect(late.state.deployments).toEqual(state.deployments);
    expect(late.events).toEqual([]);
  });

  it('refuses a request or an operation without touching the state', () => {
    const state = deepFreeze(initialPipelineState('p1'));
    const refused = decide(
      state,
      {
        type: 'deployment-requested',
        request: { commitSha: 'x', trigger: 'api', actor: 'a', plan: plan([]) },
      },
      { now: new Date(START).toISOString(), config: engineConfig() },
    );
    expect(refused).toEqual({
      state,
      commands: [],
      events: [],
      deployments: [],
      request: { ok: false, code: 'INVALID_PLAN', message: 'the plan has no stages' },
    });
    const op = decide(
      state,
      {
        type: 'operation',
        operation: { kind: 'cancel', deploymentId: 'p1:1', actor: 'a', reason: 'r' },
      },
      { now: new Date(START).toISOString(), config: engineConfig() },
    );
    expect(op.state).toBe(state);
    expect(op.operation).toMatchObject({ ok: false, code: 'UNKNOWN_DEPLOYMENT' });
  });

  it('keeps the state small: finished deployments beyond the retention are pruned, rollback targets stay', () => {
    const script = Array.from({ length: 6 }, (_, i): Scripted => ({
      at: START + i * 10 * 60_000,
      input: {
        type: 'deployment-requested',
        request: {
          commitSha: `c${i}`,
          trigger: 'push',
          actor: 'webhook',
          plan: plan([stage('s', [step('A')])]),
        },
      },
    }));
    const { state } = simulate(
      script,
      engineConfig({ retainFinishedDeployments: 2, rollbackTargetsPerStage: 3 }),
    );
    expect(state.tracks['s']?.goodHistory.map((g) => g.revision)).toEqual([4, 5, 6]);
    // 4–6 are rollback targets; of the others only the newest two finished ones stay.
    expect(state.deployments.map((d) => d.revision)).toEqual([2, 3, 4, 5, 6]);
    expect(state.nextRevision).toBe(7);
  });

  it('fills output and artifact markers of later steps', () => {
    const p = plan([
      stage(
        's',
        chain([
          ecsDeploy('Deploy', {
            key: 'deploy',
            params: { ...ECS_PARAMS, image_url: '[ARTIFACT:api/image_url]' },
          }),
          step('Check', { params: { command: 'check [OUTPUT:deploy/call] [SECRET:TOKEN]' } }),
          bake('Bake', 1),
        ]),
        { artifacts: [{ name: 'api', id: 'api', kind: 'image' }] },
      ),
    ]);
    let state = initialPipelineState('p1');
    const calls: EngineCommandSpec[] = [];
    const queue: EngineCommandSpec[] = [];
    const run = (input: EngineInput) => {
      const d = decide(state, input, {
        now: new Date(START).toISOString(),
        config: engineConfig(),
      });
      state = d.state;
      queue.push(...d.commands.filter((c) => c.type !== 'set-timer' && c.type !== 'poll-alarms'));
    };
    run({
      type: 'deployment-requested',
      request: { commitSha: 'c', trigger: 'api', actor: 'a', plan: p },
    });
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      if (c.type === 'execute-step') calls.push(c);
      run(
        c.type === 'mirror-artifacts'
          ? {
              type: 'artifacts-mirrored',
              commandId: c.id,
              ref: c.payload.ref,
              outcome: {
                kind: 'succeeded',
                artifacts: { api: { image_url: '1234.dkr/api@sha256:ab' } },
              },
            }
          : answer(c),
      );
    }
    const params = calls.map((c) => (c.type === 'execute-step' ? c.payload.params : {}));
    expect(params[0]).toMatchObject({ image_url: '1234.dkr/api@sha256:ab' });
    expect(params[1]).toEqual({ command: 'check 1 [SECRET:TOKEN]' });
  });
});
