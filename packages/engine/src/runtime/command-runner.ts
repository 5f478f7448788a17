/**
 * Carries out one command through the ports and says what happened, as the engine input to
 * decide on. Executor failures become `failed` outcomes; only infrastructure failures (the store,
 * reading alarms before a stage starts) throw, so the command is tried again after its lease.
 */
import type {
  ExecuteStepCommand,
  EngineCommandSpec,
  RollbackStepCommand,
} from '../decide/commands.js';
import type { EngineInput, StepOutcome } from '../decide/inputs.js';
import type { AlarmReader } from '../ports/alarm-reader.js';
import type { ArtifactMirror } from '../ports/artifact-mirror.js';
import type { ResourceChecker } from '../ports/resource-checker.js';
import type { ParamsSchema, RollbackOutcome } from '../ports/step-executor.js';
import type { RuntimeNotice } from './runtime-notice.js';
import { stepRunContext, type StepContextPorts } from './step-context.js';
import type { StepExecutorRegistry } from './step-executor-registry.js';

export interface CommandRunnerPorts extends StepContextPorts {
  executors: StepExecutorRegistry;
  alarms: AlarmReader;
  mirror: ArtifactMirror;
  resources: ResourceChecker;
  notice(notice: RuntimeNotice): void;
  /** Aborts this process's run of a command, when it has one. */
  abortLocal(commandId: string, reason: string): void;
}

export async function runCommand(
  ports: CommandRunnerPorts,
  command: EngineCommandSpec,
  signal: AbortSignal,
): Promise<EngineInput> {
  switch (command.type) {
    case 'execute-step':
      return {
        type: 'step-finished',
        commandId: command.id,
        ref: command.payload.ref,
        outcome: await runStep(ports, command, signal),
      };
    case 'rollback-step':
      return {
        type: 'rollback-step-finished',
        commandId: command.id,
        rollbackId: command.payload.rollbackId,
        outcome: await runRollbackStep(ports, command, signal),
      };
    case 'mirror-artifacts': {
      const { payload } = command;
      try {
        const artifacts = await ports.mirror.mirror({
          target: payload.target,
          deploymentId: payload.ref.deploymentId,
          revision: payload.revision,
          commitSha: payload.commitSha,
          artifacts: payload.artifacts,
          signal,
        });
        return {
          type: 'artifacts-mirrored',
          commandId: command.id,
          ref: payload.ref,
          outcome: { kind: 'succeeded', artifacts },
        };
      } catch (error) {
        return {
          type: 'artifacts-mirrored',
          commandId: command.id,
          ref: payload.ref,
          outcome: { kind: 'failed', message: messageOf(error) },
        };
      }
    }
    case 'check-resources': {
      const { payload } = command;
      const problems = await ports.resources.check({
        target: payload.target,
        deploymentId: payload.ref.deploymentId,
        revision: payload.revision,
        signal,
      });
      // Not knowing the alarms is no reason to start: a failed read throws and is retried.
      const alarms =
        payload.alarms.length === 0
          ? []
          : await ports.alarms.readAlarms(payload.target, payload.alarms);
      return {
        type: 'resources-checked',
        commandId: command.id,
        ref: payload.ref,
        problems,
        alarms,
      };
    }
    case 'set-timer':
      return { type: 'timer-fired', commandId: command.id, timer: command.payload.timer };
    case 'poll-alarms': {
      const { target, alarms } = command.payload;
      try {
        const readings = await ports.alarms.readAlarms(target, alarms);
        return { type: 'alarms-polled', commandId: command.id, stage: target.stage, readings };
      } catch (error) {
        const message = messageOf(error);
        ports.notice({
          code: 'runtime.alarm_read_failed',
          pipelineId: target.pipelineId,
          stage: target.stage,
          message,
        });
        return {
          type: 'alarms-polled',
          commandId: command.id,
          stage: target.stage,
          readings: [],
          error: message,
        };
      }
    }
    case 'cancel-step':
      ports.abortLocal(command.payload.targetCommandId, command.payload.reason);
      return { type: 'command-done', commandId: command.id };
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

async function runStep(
  ports: CommandRunnerPorts,
  command: ExecuteStepCommand,
  signal: AbortSignal,
): Promise<StepOutcome> {
  const { payload } = command;
  const executor = ports.executors.get(payload.step.type);
  if (executor === undefined) {
    return {
      kind: 'failed',
      code: 'no-executor',
      message: `no executor is registered for step type ${payload.step.type}`,
    };
  }
  const parsed = parse(executor.paramsSchema, payload.params);
  if (!parsed.ok) return { kind: 'failed', code: 'params', message: parsed.message };
  const ctx = {
    ...stepRunContext(
      ports,
      {
        commandId: command.id,
        journalKey: payload.journalKey,
        target: payload.target,
        vars: payload.vars,
        step: payload.step,
        deploymentId: payload.ref.deploymentId,
      },
      signal,
    ),
    step: payload.step,
    params: parsed.data,
    deployment: {
      id: payload.ref.deploymentId,
      revision: payload.revision,
      commitSha: payload.commitSha,
    },
    attempt: payload.ref.attempt,
    call: payload.call,
    ...(payload.approval === undefined ? {} : { approval: payload.approval }),
    ...(payload.pollingState === undefined ? {} : { pollingState: payload.pollingState }),
  };
  try {
    return checkOutcome(await executor.execute(ctx));
  } catch (error) {
    return { kind: 'failed', code: 'executor', message: messageOf(error) };
  }
}

async function runRollbackStep(
  ports: CommandRunnerPorts,
  command: RollbackStepCommand,
  signal: AbortSignal,
): Promise<RollbackOutcome> {
  const { payload } = command;
  const executor = ports.executors.get(payload.step.type);
  if (executor === undefined)
    return {
      kind: 'failed',
      message: `no executor is registered for step type ${payload.step.type}`,
    };
  let targetParams: unknown;
  if (payload.targetParams !== undefined) {
    const parsed = parse(executor.paramsSchema, payload.targetParams);
    if (!parsed.ok) return { kind: 'failed', message: parsed.message };
    targetParams = parsed.data;
  }
  const base = stepRunContext(
    ports,
    {
      commandId: command.id,
      journalKey: payload.journalKey,
      target: payload.target,
      vars: {},
      step: payload.step,
    },
    signal,
  );
  try {
    if (executor.rollback !== undefined) {
      const outcome = await executor.rollback({
        ...base,
        rollbackId: payload.rollbackId,
        toRevision: payload.toRevision,
        ...(targetParams === undefined ? {} : { targetParams }),
        ...(payload.targetOutputs === undefined ? {} : { targetOutputs: payload.targetOutputs }),
        ...(payload.failedOutputs === undefined ? {} : { failedOutputs: payload.failedOutputs }),
      });
      return outcome.kind === 'succeeded' || outcome.kind === 'failed'
        ? outcome
        : { kind: 'failed', message: 'the executor returned an invalid rollback result' };
    }
    // No rollback of its own: deploy the restored revision's params again.
    if (targetParams === undefined) return { kind: 'succeeded', outputs: {} };
    return await redeploy(ports, base, payload, targetParams);
  } catch (error) {
    return { kind: 'failed', message: messageOf(error) };
  }
}

async function redeploy(
  ports: CommandRunnerPorts,
  base: ReturnType<typeof stepRunContext>,
  payload: RollbackStepCommand['payload'],
  params: unknown,
): Promise<RollbackOutcome> {
  const executor = ports.executors.get(payload.step.type);
  if (executor === undefined) return { kind: 'failed', message: 'executor vanished' };
  let pollingState: StepOutcomePolling = undefined;
  for (let call = 1; ; call++) {
    const outcome = checkOutcome(
      await executor.execute({
        ...base,
        step: { ...payload.step, key: payload.step.name },
        params,
        deployment: { id: payload.toDeploymentId, revision: payload.toRevision, commitSha: '' },
        attempt: 1,
        call,
        ...(pollingState === undefined ? {} : { pollingState }),
      }),
    );
    switch (outcome.kind) {
      case 'succeeded':
        return outcome;
      case 'failed':
        return { kind: 'failed', message: outcome.message };
      case 'approval-required':
        return { kind: 'failed', message: 'a rollback cannot wait for an approval' };
      case 'poll-again':
        pollingState = outcome.pollingState;
        await ports.clock.waitUntil(
          new Date(ports.clock.now().getTime() + outcome.afterMs),
          base.signal,
        );
        if (base.signal.aborted) return { kind: 'failed', message: 'aborted' };
        break;
      default: {
        const unreachable: never = outcome;
        return unreachable;
      }
    }
  }
}

type StepOutcomePolling = Extract<StepOutcome, { kind: 'poll-again' }>['pollingState'];

function parse<P>(
  schema: ParamsSchema<P>,
  params: unknown,
): { ok: true; data: P } | { ok: false; message: string } {
  const result = schema.safeParse(params);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  const where =
    issue === undefined || issue.path.length === 0
      ? 'params'
      : `params.${issue.path.map((p) => String(p)).join('.')}`;
  return { ok: false, message: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** Executors may be user code: anything but a well-formed outcome counts as a failure. */
function checkOutcome(outcome: StepOutcome): StepOutcome {
  const value: unknown = outcome;
  if (value !== null && typeof value === 'object' && 'kind' in value) {
    switch (value.kind) {
      case 'succeeded':
        return {
          kind: 'succeeded',
          outputs: outcome.kind === 'succeeded' ? (outcome.outputs ?? {}) : {},
        };
      case 'failed':
      case 'approval-required':
      case 'poll-again':
        return outcome;
    }
  }
  return { kind: 'failed', code: 'executor', message: 'the executor returned an invalid result' };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
