/**
 * Carries out one command through the ports and says what happened, as the engine input to
 * decide on. Executor failures become `failed` outcomes; only infrastructure failures (the store,
 * reading alarms before a stage starts) throw, so the command is tried again after its lease.
 */
import { mapBounded } from '@rampart/core';
import { buildErrorTail, reuseMessage } from '../decide/artifact-builds.js';
import type {
  BuildArtifactCommand,
  ExecuteStepCommand,
  EngineCommandSpec,
  MirrorArtifactsCommand,
  RollbackStepCommand,
} from '../decide/commands.js';
import type { BuildOutcome, EngineInput, StepOutcome } from '../decide/inputs.js';
import type { StageArtifactCopy } from '../model/deployment-plan.js';
import type { AlarmReader } from '../ports/alarm-reader.js';
import type { ArtifactBuilder, BuildRequest, BuildResult } from '../ports/artifact-builder.js';
import type { ArtifactMirror } from '../ports/artifact-mirror.js';
import { BUILD_LOG_STAGE, MIRROR_LOG_STEP, buildLogStep } from '../ports/step-log-sink.js';
import type { ResourceChecker } from '../ports/resource-checker.js';
import type { ParamsSchema, RollbackOutcome } from '../ports/step-executor.js';
import type { RuntimeNotice } from './runtime-notice.js';
import { stepRunContext, type StepContextPorts } from './step-context.js';
import type { StepExecutorRegistry } from './step-executor-registry.js';

export interface CommandRunnerPorts extends StepContextPorts {
  executors: StepExecutorRegistry;
  alarms: AlarmReader;
  mirror: ArtifactMirror;
  builder: ArtifactBuilder;
  /** `per_stage` builds of one stage that run at once. */
  buildConcurrency: number;
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
    case 'build-artifact':
      return {
        type: 'artifact-built',
        commandId: command.id,
        deploymentId: command.payload.deploymentId,
        index: command.payload.index,
        outcome: await runBuild(ports, command, signal),
      };
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
    case 'mirror-artifacts':
      return {
        type: 'artifacts-mirrored',
        commandId: command.id,
        ref: command.payload.ref,
        outcome: await runMirror(ports, command, signal),
      };
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

/** One built-once artifact, through the builder, its lines in the step log under `(build)`. */
async function runBuild(
  ports: CommandRunnerPorts,
  command: BuildArtifactCommand,
  signal: AbortSignal,
): Promise<BuildOutcome> {
  const { payload } = command;
  const log = buildLog(ports, command.id, payload.pipelineId, payload.deploymentId, {
    stage: BUILD_LOG_STAGE,
    artifact: payload.artifact.name,
  });
  try {
    const result = await ports.builder.build({
      pipelineId: payload.pipelineId,
      pipelineSlug: payload.pipelineSlug,
      deploymentId: payload.deploymentId,
      revision: payload.revision,
      commitSha: payload.commitSha,
      artifact: payload.artifact,
      ...(payload.previous === undefined ? {} : { previous: payload.previous }),
      log,
      signal,
    });
    return builtOutcome(result, payload.artifact.rebuildWhenChanged, log);
  } catch (error) {
    return { kind: 'failed', message: messageOf(error) };
  }
}

/**
 * A stage's mirroring phase: copies with a `build` (`per_stage`) are built into the stage, the
 * others mirrored from their CI/CD copy. The first failure stops the rest.
 */
async function runMirror(
  ports: CommandRunnerPorts,
  command: MirrorArtifactsCommand,
  signal: AbortSignal,
): Promise<Extract<EngineInput, { type: 'artifacts-mirrored' }>['outcome']> {
  const { payload } = command;
  const toBuild = payload.artifacts.filter(
    (a): a is StageArtifactCopy & { build: NonNullable<StageArtifactCopy['build']> } =>
      a.build !== undefined,
  );
  const toMirror = payload.artifacts.filter((a) => a.build === undefined);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const failFast = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      stop.abort();
      throw error;
    });
  try {
    const [mirrored, built] = await Promise.all([
      toMirror.length === 0 && toBuild.length > 0
        ? Promise.resolve({})
        : failFast(
            ports.mirror.mirror({
              target: payload.target,
              deploymentId: payload.ref.deploymentId,
              revision: payload.revision,
              commitSha: payload.commitSha,
              artifacts: toMirror,
              ...(payload.sources === undefined ? {} : { sources: payload.sources }),
              log: (text) =>
                ports.logs.write({
                  commandId: command.id,
                  pipelineId: payload.target.pipelineId,
                  deploymentId: payload.ref.deploymentId,
                  stage: payload.target.stage,
                  step: MIRROR_LOG_STEP,
                  at: ports.clock.now().toISOString(),
                  stream: 'info',
                  text,
                }),
              signal: stop.signal,
            }),
          ),
      failFast(
        mapBounded(toBuild, ports.buildConcurrency, async (copy) => {
          const log = buildLog(
            ports,
            command.id,
            payload.target.pipelineId,
            payload.ref.deploymentId,
            {
              stage: payload.target.stage,
              artifact: copy.name,
            },
          );
          const previous = payload.previous?.[copy.id];
          const request: BuildRequest = {
            pipelineId: payload.target.pipelineId,
            pipelineSlug: payload.target.pipelineSlug,
            deploymentId: payload.ref.deploymentId,
            revision: payload.revision,
            commitSha: payload.commitSha,
            artifact: copy.build,
            stage: payload.target,
            ...(previous === undefined ? {} : { previous }),
            log,
            signal: stop.signal,
          };
          let outcome: BuildOutcome;
          try {
            outcome = builtOutcome(
              await ports.builder.build(request),
              copy.build.rebuildWhenChanged,
              log,
            );
          } catch (error) {
            outcome = { kind: 'failed', message: messageOf(error) };
          }
          if (outcome.kind === 'failed') {
            throw new Error(
              `artifact "${copy.name}" failed to build: ${buildErrorTail(outcome.message)}`,
            );
          }
          return { id: copy.id, outcome };
        }),
      ),
    ]);
    const artifacts: Record<string, Record<string, string>> = { ...mirrored };
    const builds: Record<string, { reusedFrom?: { revision: number; commitSha: string } }> = {};
    for (const { id, outcome } of built) {
      artifacts[id] = outcome.fields;
      builds[id] = outcome.reusedFrom === undefined ? {} : { reusedFrom: outcome.reusedFrom };
    }
    return {
      kind: 'succeeded',
      artifacts,
      ...(built.length === 0 ? {} : { builds }),
    };
  } catch (error) {
    return { kind: 'failed', message: messageOf(error) };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** A builder's result checked (builders may be plugins): string fields, or a failure. */
function builtOutcome(
  result: BuildResult,
  paths: readonly string[] | undefined,
  log: BuildRequest['log'],
): Extract<BuildOutcome, { kind: 'succeeded' }> | Extract<BuildOutcome, { kind: 'failed' }> {
  const value: unknown = result;
  const fields: unknown =
    value !== null && typeof value === 'object' && 'fields' in value ? value.fields : undefined;
  if (
    fields === null ||
    typeof fields !== 'object' ||
    Array.isArray(fields) ||
    !Object.values(fields).every((v) => typeof v === 'string')
  ) {
    return {
      kind: 'failed',
      message: 'the artifact builder returned no fields (or non-text ones)',
    };
  }
  const outcome: Extract<BuildOutcome, { kind: 'succeeded' }> = {
    kind: 'succeeded',
    fields: { ...(fields as Record<string, string>) },
  };
  if (result.reusedFrom !== undefined) {
    outcome.reusedFrom = {
      revision: result.reusedFrom.revision,
      commitSha: result.reusedFrom.commitSha,
    };
    log(reuseMessage(outcome.reusedFrom, paths ?? []), 'info');
  }
  return outcome;
}

/** Where a build's lines go: the step log, as step `build:<artifact name>`. */
function buildLog(
  ports: CommandRunnerPorts,
  commandId: string,
  pipelineId: string,
  deploymentId: string,
  where: { stage: string; artifact: string },
): BuildRequest['log'] {
  return (text, stream = 'stdout') =>
    ports.logs.write({
      commandId,
      pipelineId,
      deploymentId,
      stage: where.stage,
      step: buildLogStep(where.artifact),
      at: ports.clock.now().toISOString(),
      stream,
      text,
    });
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
