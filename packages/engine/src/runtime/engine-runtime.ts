/**
 * The runtime: claims due commands from the store's outbox, carries them out through the ports,
 * turns the results into inputs, decides, and commits the new state with the next commands in
 * one atomic write (retrying the decision when another writer got there first). Every transition
 * is stored before its effects run, so a runtime killed at any point loses nothing: leases expire
 * and another runtime picks the commands up.
 */
import { RampartError } from '@rampart/core';
import { fromStoredCommand, toStoredCommand, type EngineCommandSpec } from '../decide/commands.js';
import { decideInPlace, type Decision } from '../decide/decide.js';
import { engineConfig, type EngineConfig } from '../decide/engine-config.js';
import type { AlarmObservation, DeploymentRequest, EngineInput } from '../decide/inputs.js';
import type { Operation, OperationResult } from '../decide/operations.js';
import type { DeploymentRequestResult } from '../decide/request-deployment.js';
import { parsePipelineState } from '../model/parse-pipeline-state.js';
import {
  initialPipelineState,
  type Deployment,
  type PipelineState,
} from '../model/pipeline-state.js';
import { noArtifactBuilder } from '../ports/artifact-builder.js';
import { noArtifactMirror } from '../ports/artifact-mirror.js';
import type { Clock } from '../ports/clock.js';
import type {
  DeploymentQuery,
  DeploymentSummary,
  EngineCommand,
  EngineEvent,
  EngineStore,
  EventQuery,
  JsonValue,
} from '../ports/engine-store.js';
import { noResourceChecks } from '../ports/resource-checker.js';
import { noSecretResolver } from '../ports/secret-resolver.js';
import { discardStepLogs } from '../ports/step-log-sink.js';
import { abandonedInput } from './abandon-command.js';
import { messageOf, runCommand, type CommandRunnerPorts } from './command-runner.js';
import { SecretResolvingExecutors } from './secret-resolving-executors.js';
import { DueTimes } from './due-times.js';
import { KeyedLock } from './keyed-lock.js';
import type { RuntimeNotice } from './runtime-notice.js';
import {
  runtimeSettings,
  type EngineRuntimeOptions,
  type ResolvedRuntimeSettings,
} from './runtime-options.js';

type AbortReason = 'shutdown' | 'lease-lost' | 'cancelled';

interface InFlight {
  command: EngineCommand;
  controller: AbortController;
  abortReason?: AbortReason;
  done?: Promise<void>;
}

export class EngineRuntime {
  private readonly store: EngineStore;
  private readonly clock: Clock;
  private readonly owner: string;
  private readonly config: EngineConfig;
  private readonly settings: ResolvedRuntimeSettings;
  private readonly ports: CommandRunnerPorts;
  private readonly locks = new KeyedLock();
  private readonly dueTimes = new DueTimes();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly noticeListeners = new Set<(notice: RuntimeNotice) => void>();
  private idleWaiters: (() => void)[] = [];
  private running = false;
  private stopController = new AbortController();
  private loopDone: Promise<void> | undefined;
  private keeperDone: Promise<void> | undefined;
  private wake: AbortController | undefined;
  private wakeRequested = false;
  private parkedUntil: number | undefined;
  private busy = 0;

  constructor(options: EngineRuntimeOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.owner = options.workerId;
    this.config = engineConfig(options.config);
    this.settings = runtimeSettings(options);
    this.ports = {
      store: options.store,
      clock: options.clock,
      credentials: options.credentials,
      logs: options.logs ?? discardStepLogs,
      executors: new SecretResolvingExecutors(
        options.executors,
        options.secrets ?? noSecretResolver,
      ),
      alarms: options.alarms,
      mirror: options.mirror ?? noArtifactMirror,
      builder: options.builder ?? noArtifactBuilder,
      buildConcurrency: this.config.buildConcurrency,
      resources: options.resources ?? noResourceChecks,
      notice: (notice) => this.notify(notice),
      abortLocal: (commandId) => this.abortLocal(commandId, 'cancelled'),
    };
  }

  /** Starts claiming and running commands. Calling it twice does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopController = new AbortController();
    this.loopDone = this.loop();
    this.keeperDone = this.keepLeases();
  }

  /**
   * Stops claiming, aborts the commands in flight and gives them back to the outbox (another
   * worker, or this one after `start`, runs them again; executors resume from their journal).
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopController.abort();
    this.poke();
    const handles: Promise<void>[] = [];
    for (const entry of this.inFlight.values()) {
      entry.abortReason ??= 'shutdown';
      entry.controller.abort();
      if (entry.done !== undefined) handles.push(entry.done);
    }
    await Promise.allSettled([this.loopDone, this.keeperDone, ...handles]);
  }

  /** Creates a deployment of `request.plan` (numbered by the engine) and queues it. */
  async requestDeployment(
    pipelineId: string,
    request: DeploymentRequest,
  ): Promise<DeploymentRequestResult> {
    const decision = await this.apply(pipelineId, { type: 'deployment-requested', request }, []);
    return decision.request ?? { ok: false, code: 'INVALID_PLAN', message: 'no result' };
  }

  /** Applies a manual operation; a refused one changes nothing and says why. */
  async operate(pipelineId: string, operation: Operation): Promise<OperationResult> {
    const decision = await this.apply(pipelineId, { type: 'operation', operation }, []);
    return decision.operation ?? { ok: false, code: 'UNKNOWN_DEPLOYMENT', message: 'no result' };
  }

  /**
   * A pushed alarm state change (EventBridge): applied to every pipeline with a stage watching
   * that alarm in that account and region. Returns the ids of those pipelines.
   */
  async observeAlarm(observation: AlarmObservation): Promise<string[]> {
    const applied: string[] = [];
    for (const pipelineId of await this.store.listPipelineIds()) {
      const state = await this.getPipelineState(pipelineId);
      if (state === undefined || !watches(state, observation)) continue;
      await this.apply(pipelineId, { type: 'alarm-observed', observation }, []);
      applied.push(pipelineId);
    }
    return applied;
  }

  /** The engine state of a pipeline: deployments with stages and steps, tracks, blockers, approvals, rollbacks. */
  async getPipelineState(pipelineId: string): Promise<PipelineState | undefined> {
    const stored = await this.store.loadPipeline(pipelineId);
    return stored === undefined ? undefined : parsePipelineState(stored.state, pipelineId);
  }

  /** A deployment with its stages and steps; `undefined` when unknown or pruned (its summary row stays). */
  async getDeployment(deploymentId: string): Promise<Deployment | undefined> {
    const summary = await this.store.getDeployment(deploymentId);
    if (summary === undefined) return undefined;
    const state = await this.getPipelineState(summary.pipelineId);
    return state?.deployments.find((d) => d.id === deploymentId);
  }

  listDeployments(query: DeploymentQuery): Promise<DeploymentSummary[]> {
    return this.store.listDeployments(query);
  }

  listEvents(query: EventQuery): Promise<EngineEvent[]> {
    return this.store.listEvents(query);
  }

  /** Calls `listener` with each event once it is committed; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onNotice(listener: (notice: RuntimeNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /**
   * Resolves once nothing runs and nothing is due before the clock moves: for tests on a manual
   * clock and for benchmarks. Commands other workers write are not seen until the next poll.
   */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const free = this.settings.concurrency - this.inFlight.size;
      const claimedAt = this.clock.now().getTime();
      let claimed: EngineCommand[] = [];
      if (free > 0) {
        try {
          claimed = await this.store.claimCommands({
            owner: this.owner,
            now: new Date(claimedAt).toISOString(),
            leaseMs: this.settings.leaseMs,
            limit: free,
          });
        } catch (error) {
          this.notify({
            code: 'runtime.store_failed',
            operation: 'claimCommands',
            message: messageOf(error),
          });
        }
      }
      if (!this.running) {
        for (const c of claimed) await this.release(c.id);
        break;
      }
      // A command of ours whose lease lapsed comes back to us: it is still running, leave it.
      for (const command of claimed) if (!this.inFlight.has(command.id)) this.launch(command);
      if (claimed.length > 0 && claimed.length >= free) continue;
      await this.park(claimedAt);
    }
  }

  /** Sleeps until the next known due time or poll, counted from the claim made at `claimedAt`. */
  private async park(claimedAt: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return;
    }
    const next = this.dueTimes.nextAfter(claimedAt);
    const until = Math.min(claimedAt + this.settings.storePollIntervalMs, next ?? Infinity);
    // The clock moved past it while claiming: what became due meanwhile is claimed right away.
    if (until <= this.clock.now().getTime()) return;
    const wake = new AbortController();
    this.wake = wake;
    this.parkedUntil = until;
    this.checkIdle();
    await this.clock.waitUntil(new Date(until), wake.signal);
    this.wake = undefined;
    this.parkedUntil = undefined;
    this.wakeRequested = false;
  }

  private poke(): void {
    this.wakeRequested = true;
    this.wake?.abort();
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const quiet = this.inFlight.size === 0 && this.busy === 0;
    const parked =
      !this.running ||
      (this.parkedUntil !== undefined &&
        !this.wakeRequested &&
        this.parkedUntil > this.clock.now().getTime());
    if (!quiet || !parked) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private launch(command: EngineCommand): void {
    const entry: InFlight = { command, controller: new AbortController() };
    this.inFlight.set(command.id, entry);
    entry.done = this.handle(entry).finally(() => {
      this.inFlight.delete(command.id);
      this.poke();
      this.checkIdle();
    });
  }

  private async handle(entry: InFlight): Promise<void> {
    const { command } = entry;
    let input: EngineInput;
    try {
      const spec = fromStoredCommand(command);
      if (command.attempts > this.settings.maxCommandAttempts) {
        this.notify({
          code: 'runtime.command_abandoned',
          commandId: command.id,
          attempts: command.attempts,
        });
        input = abandonedInput(spec, command.attempts);
      } else {
        input = await runCommand(this.ports, spec, entry.controller.signal);
      }
    } catch (error) {
      // Keep the lease: the command runs again once it expires, which spaces out the retries.
      this.notify({
        code: 'runtime.command_failed',
        commandId: command.id,
        message: messageOf(error),
      });
      return;
    }
    if (entry.abortReason === 'shutdown') {
      await this.release(command.id);
      return;
    }
    if (entry.abortReason === 'lease-lost') return;
    try {
      await this.apply(command.pipelineId, input, [command.id]);
    } catch (error) {
      this.notify({
        code: 'runtime.command_failed',
        commandId: command.id,
        message: messageOf(error),
      });
    }
  }

  private async release(commandId: string): Promise<void> {
    try {
      await this.store.releaseCommand(this.owner, commandId);
    } catch (error) {
      this.notify({
        code: 'runtime.store_failed',
        operation: 'releaseCommand',
        message: messageOf(error),
      });
    }
  }

  private abortLocal(commandId: string, reason: AbortReason): void {
    const entry = this.inFlight.get(commandId);
    if (entry === undefined) return;
    entry.abortReason ??= reason;
    entry.controller.abort();
  }

  /** Renews the leases of running commands, and stops step calls the state no longer wants. */
  private async keepLeases(): Promise<void> {
    const every = Math.max(1, Math.floor(this.settings.leaseMs / 3));
    while (this.running) {
      await this.clock.waitUntil(
        new Date(this.clock.now().getTime() + every),
        this.stopController.signal,
      );
      if (!this.running) break;
      const ids = [...this.inFlight.keys()];
      if (ids.length === 0) continue;
      try {
        const until = new Date(this.clock.now().getTime() + this.settings.leaseMs).toISOString();
        for (const id of await this.store.renewLeases(this.owner, ids, until)) {
          this.notify({ code: 'runtime.lease_lost', commandId: id });
          this.abortLocal(id, 'lease-lost');
        }
        await this.abortUnwantedSteps();
      } catch (error) {
        this.notify({
          code: 'runtime.store_failed',
          operation: 'renewLeases',
          message: messageOf(error),
        });
      }
    }
  }

  /** A step or build cancelled or timed out by another worker's decision is stopped here too. */
  private async abortUnwantedSteps(): Promise<void> {
    const commands = [...this.inFlight.values()]
      .map((entry) => entry.command)
      .filter((command) => command.type === 'execute-step' || command.type === 'build-artifact');
    for (const pipelineId of new Set(commands.map((c) => c.pipelineId))) {
      const state = await this.getPipelineState(pipelineId);
      for (const command of commands.filter((c) => c.pipelineId === pipelineId)) {
        if (!stillWanted(state, fromStoredCommand(command)))
          this.abortLocal(command.id, 'cancelled');
      }
    }
  }

  /** Decides on `input` and commits, deciding again on a conflict. */
  private async apply(
    pipelineId: string,
    input: EngineInput,
    completed: string[],
  ): Promise<Decision> {
    this.busy += 1;
    try {
      return await this.locks.run(pipelineId, () =>
        this.decideAndCommit(pipelineId, input, completed),
      );
    } finally {
      this.busy -= 1;
      this.checkIdle();
    }
  }

  private async decideAndCommit(
    pipelineId: string,
    input: EngineInput,
    completed: string[],
  ): Promise<Decision> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.loadPipeline(pipelineId);
      const state =
        stored === undefined
          ? initialPipelineState(pipelineId)
          : parsePipelineState(stored.state, pipelineId);
      const now = this.clock.now();
      const at = now.toISOString();
      // The state was just parsed for this decision: it may be changed in place.
      const decision = decideInPlace(state, input, { now: at, config: this.config });
      const refused = decision.operation?.ok === false || decision.request?.ok === false;
      if (refused && completed.length === 0) return decision;
      try {
        const result = await this.store.commit({
          pipelineId,
          expectedVersion: stored?.version ?? 0,
          state: decision.state as unknown as JsonValue,
          events: decision.events.map((e) => ({ ...e, at })),
          commands: decision.commands.map(toStoredCommand),
          completedCommandIds: completed,
          deployments: decision.deployments,
        });
        this.afterCommit(pipelineId, decision, result.eventSeqs, at, now.getTime());
        return decision;
      } catch (error) {
        if (!isConflict(error)) throw error;
        if (attempt >= this.settings.maxCommitAttempts) {
          throw new RampartError(
            'INTERNAL',
            `pipeline ${pipelineId}: gave up after ${attempt} conflicting commits`,
            { source: 'system', retryable: true, cause: error },
          );
        }
        this.notify({ code: 'runtime.commit_conflict', pipelineId, attempt });
      }
    }
  }

  private afterCommit(
    pipelineId: string,
    decision: Decision,
    seqs: number[],
    at: string,
    nowMs: number,
  ): void {
    let dueNow = false;
    for (const command of decision.commands) {
      const due = command.dueAt === undefined ? nowMs : Date.parse(command.dueAt);
      if (due <= nowMs) dueNow = true;
      else this.dueTimes.add(due);
    }
    if (dueNow) this.poke();
    decision.events.forEach((event, i) => {
      const stored: EngineEvent = { ...event, at, pipelineId, seq: seqs[i] ?? -1 };
      for (const listener of this.eventListeners) {
        try {
          listener(stored);
        } catch (error) {
          this.notify({ code: 'runtime.listener_failed', message: messageOf(error) });
        }
      }
    });
  }

  private notify(notice: RuntimeNotice): void {
    for (const listener of this.noticeListeners) {
      try {
        listener(notice);
      } catch {
        // A notice listener that throws cannot be told about it: there is no one left to tell.
      }
    }
  }
}

function isConflict(error: unknown): boolean {
  return error instanceof Error && error.name === 'StoreConflictError';
}

/** Whether the state still waits for this step call or build. */
function stillWanted(state: PipelineState | undefined, command: EngineCommandSpec): boolean {
  if (command.type === 'execute-step') {
    const { ref } = command.payload;
    const step = state?.deployments.find((d) => d.id === ref.deploymentId)?.stages[ref.stageIndex]
      ?.steps[ref.stepIndex];
    return step?.commandId === command.id;
  }
  if (command.type === 'build-artifact') {
    const { deploymentId, index } = command.payload;
    const build = state?.deployments.find((d) => d.id === deploymentId)?.builds?.[index];
    return build?.commandId === command.id && build.status === 'running';
  }
  return true;
}

/** Whether a stage of `state` watches the observed alarm. */
function watches(state: PipelineState, o: AlarmObservation): boolean {
  return Object.values(state.tracks).some(
    (t) =>
      t.target?.accountId === o.accountId &&
      t.target.region === o.region &&
      t.alarms.includes(o.alarm),
  );
}
