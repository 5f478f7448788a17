/**
 * `decide(state, input, env) → { state, commands, events }`: the whole engine as a pure function.
 * It reads no clock and does no I/O; the same state, input and env always give the same result,
 * so a decision can be retried after a store conflict or replayed in a test.
 */
import type { DeploymentSummary } from '../ports/engine-store.js';
import type { PipelineState } from '../model/pipeline-state.js';
import { ensureAlarmPolls, applyAlarmObservation, onAlarmsPolled } from './alarm-watch.js';
import { onArtifactBuilt } from './artifact-builds.js';
import type { EngineCommandSpec } from './commands.js';
import { DecisionContext } from './decision-context.js';
import type { DecideEnv } from './engine-config.js';
import type { EngineEventSpec } from './events.js';
import type { EngineInput } from './inputs.js';
import { findDeployment, trackOf } from './lookup.js';
import { operate } from './operate.js';
import type { OperationResult } from './operations.js';
import { prune } from './prune.js';
import { reconcile } from './reconcile.js';
import { requestDeployment, type DeploymentRequestResult } from './request-deployment.js';
import { onRollbackStepFinished } from './rollback.js';
import { onArtifactsMirrored, onResourcesChecked } from './stage-results.js';
import { onStepFinished, onStepTimer } from './step-results.js';

export interface Decision {
  /** The new state (the input state itself when the input was refused). */
  state: PipelineState;
  /** Commands for the outbox, in the order they were decided. */
  commands: EngineCommandSpec[];
  events: EngineEventSpec[];
  /** Summary rows of the deployments this decision changed. */
  deployments: DeploymentSummary[];
  /** For an `operation` input: accepted, or why not. */
  operation?: OperationResult;
  /** For a `deployment-requested` input. */
  request?: DeploymentRequestResult;
}

export function decide(state: PipelineState, input: EngineInput, env: DecideEnv): Decision {
  const decision = decideInPlace(structuredClone(state), input, env);
  const refused = decision.operation?.ok === false || decision.request?.ok === false;
  return refused ? { ...decision, state } : decision;
}

/**
 * `decide` without the copy: it changes `draft` and returns it as the new state. For a caller that
 * owns the state it passes (the runtime parses a fresh one for every decision): copying a large
 * state costs more than the decision itself. A refused input leaves `draft` in an unspecified
 * state, so drop it.
 */
export function decideInPlace(draft: PipelineState, input: EngineInput, env: DecideEnv): Decision {
  const ctx = new DecisionContext(draft, env);
  const decision: Partial<Pick<Decision, 'operation' | 'request'>> = {};
  switch (input.type) {
    case 'deployment-requested':
      decision.request = requestDeployment(ctx, input.request);
      if (!decision.request.ok) return refused(draft, decision);
      break;
    case 'operation':
      decision.operation = operate(ctx, input.operation);
      if (!decision.operation.ok) return refused(draft, decision);
      break;
    case 'artifact-built':
      onArtifactBuilt(ctx, input.commandId, input.deploymentId, input.index, input.outcome);
      break;
    case 'step-finished':
      onStepFinished(ctx, input.commandId, input.ref, input.outcome);
      break;
    case 'rollback-step-finished':
      onRollbackStepFinished(ctx, input.rollbackId, input.commandId, input.outcome);
      break;
    case 'artifacts-mirrored':
      onArtifactsMirrored(ctx, input.commandId, input.ref, input.outcome);
      break;
    case 'resources-checked':
      onResourcesChecked(ctx, input.commandId, input.ref, input.problems, input.alarms);
      break;
    case 'timer-fired':
      if (input.timer.kind === 'window-opens') {
        const d = findDeployment(ctx.state, input.timer.deploymentId);
        const stage = d?.plan.stages[input.timer.stageIndex];
        // The gate re-evaluates the window; waking it is all a window timer does.
        if (stage !== undefined) trackOf(ctx.state, stage.name);
      } else {
        onStepTimer(ctx, input.timer);
      }
      break;
    case 'alarms-polled':
      onAlarmsPolled(
        ctx,
        input.stage,
        input.commandId,
        input.error === undefined ? input.readings : [],
      );
      break;
    case 'alarm-observed':
      applyAlarmObservation(ctx, input.observation);
      break;
    case 'command-done':
      break;
    default: {
      const unreachable: never = input;
      return unreachable;
    }
  }
  reconcile(ctx);
  ensureAlarmPolls(ctx);
  prune(ctx.state, ctx.config);
  return {
    state: ctx.state,
    commands: ctx.commands,
    events: ctx.events,
    deployments: summaries(ctx),
    ...decision,
  };
}

function refused(
  state: PipelineState,
  decision: Partial<Pick<Decision, 'operation' | 'request'>>,
): Decision {
  return { state, commands: [], events: [], deployments: [], ...decision };
}

function summaries(ctx: DecisionContext): DeploymentSummary[] {
  return ctx.state.deployments
    .filter((d) => ctx.touched.has(d.id))
    .map((d) => ({
      id: d.id,
      pipelineId: ctx.state.pipelineId,
      revision: d.revision,
      commitSha: d.commitSha,
      status: d.status,
      trigger: d.trigger,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    }));
}
