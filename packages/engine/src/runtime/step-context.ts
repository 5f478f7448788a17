/** Builds the context a step executor runs with, from a command and the runtime's ports. */
import type { JsonObject } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';
import type { Clock } from '../ports/clock.js';
import type { CredentialsProvider } from '../ports/credentials-provider.js';
import type { EngineStore } from '../ports/engine-store.js';
import type { StepLogSink } from '../ports/step-log-sink.js';
import type { StepRunContext } from '../ports/step-executor.js';

export interface StepContextPorts {
  store: EngineStore;
  clock: Clock;
  credentials: CredentialsProvider;
  logs: StepLogSink;
}

export function stepRunContext(
  ports: StepContextPorts,
  base: {
    commandId: string;
    journalKey: string;
    target: StageTarget;
    vars: JsonObject;
    step: { name: string; type: string };
    deploymentId?: string;
  },
  signal: AbortSignal,
): StepRunContext {
  const { commandId, journalKey, target, step, deploymentId } = base;
  return {
    commandId,
    journalKey,
    target,
    vars: base.vars,
    step,
    signal,
    credentials: () => ports.credentials.credentialsFor(target, deploymentId),
    log: (text, stream = 'stdout') =>
      ports.logs.write({
        commandId,
        pipelineId: target.pipelineId,
        ...(deploymentId === undefined ? {} : { deploymentId }),
        stage: target.stage,
        step: step.name,
        at: ports.clock.now().toISOString(),
        stream,
        text,
      }),
    effects: {
      get: () => ports.store.getEffects(journalKey),
      put: (name, value) => ports.store.putEffect(journalKey, name, value),
    },
    now: () => ports.clock.now(),
  };
}
