/** One runtime on a manual clock and an in-memory store, with fake executors, alarms and credentials. */
import type { DeploymentRequest } from '../decide/inputs.js';
import type { Operation, OperationResult } from '../decide/operations.js';
import type { DeploymentPlan } from '../model/deployment-plan.js';
import type { Deployment, PipelineState } from '../model/pipeline-state.js';
import type { EngineEvent, EngineStore } from '../ports/engine-store.js';
import type { CredentialsProvider } from '../ports/credentials-provider.js';
import { EngineRuntime } from '../runtime/engine-runtime.js';
import type { EngineRuntimeOptions } from '../runtime/runtime-options.js';
import type { RuntimeNotice } from '../runtime/runtime-notice.js';
import { StepExecutorRegistry } from '../runtime/step-executor-registry.js';
import { FakeAlarmReader } from './fake-alarm-reader.js';
import { FakeCloud } from './fake-cloud.js';
import { FakeSteps, fakeExecutor } from './fake-step-executor.js';
import { ManualClock } from './manual-clock.js';
import { MemoryEngineStore } from './memory-engine-store.js';

export const FAKE_TYPES = [
  'RAMPART:SCRIPT:RUN',
  'RAMPART:ECS:DEPLOY',
  'RAMPART:TERRAFORM:SYNTHESIZE',
  'RAMPART:APPROVAL:TEST',
  'CUSTOM:LONG',
];

export const fakeCredentials: CredentialsProvider = {
  credentialsFor: () => Promise.resolve({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }),
};

export interface HarnessOptions {
  start?: string;
  clock?: ManualClock;
  store?: MemoryEngineStore;
  steps?: FakeSteps;
  alarms?: FakeAlarmReader;
  /** The store the runtime talks to (a crashable wrapper); defaults to `store`. */
  runtimeStore?: EngineStore;
  workerId?: string;
  runtime?: Partial<EngineRuntimeOptions>;
  /** Whether this runtime's process lives (a crash test kills it). @default always */
  alive?: () => boolean;
}

export class EngineHarness {
  readonly clock: ManualClock;
  readonly store: MemoryEngineStore;
  readonly steps: FakeSteps;
  readonly alarms: FakeAlarmReader;
  readonly runtime: EngineRuntime;
  readonly events: EngineEvent[] = [];
  readonly notices: RuntimeNotice[] = [];

  constructor(options: HarnessOptions = {}) {
    this.clock = options.clock ?? new ManualClock(options.start);
    this.store = options.store ?? new MemoryEngineStore(this.clock);
    this.steps = options.steps ?? new FakeSteps(new FakeCloud());
    this.alarms = options.alarms ?? new FakeAlarmReader();
    const executors = new StepExecutorRegistry();
    for (const type of FAKE_TYPES)
      executors.register(fakeExecutor(type, this.steps, options.alive));
    this.runtime = new EngineRuntime({
      store: options.runtimeStore ?? this.store,
      clock: this.clock,
      workerId: options.workerId ?? 'worker-1',
      executors,
      alarms: this.alarms,
      credentials: fakeCredentials,
      leaseMs: 30_000,
      ...options.runtime,
    });
    this.runtime.onEvent((e) => this.events.push(e));
    this.runtime.onNotice((n) => this.notices.push(n));
  }

  get cloud(): FakeCloud {
    return this.steps.cloud;
  }

  start(): this {
    this.runtime.start();
    return this;
  }

  /**
   * Waits until the runtime stops making progress on its own: every promise chain has run and no
   * commit happened across a full turn of the event loop. Unlike `runtime.whenIdle`, it also
   * returns while steps wait on a gate the test holds.
   */
  async settle(): Promise<void> {
    let commits = -1;
    for (let turn = 0; turn < 10_000; turn++) {
      await nextTurn();
      if (this.store.commitCount === commits) return;
      commits = this.store.commitCount;
    }
    throw new Error('the runtime did not settle');
  }

  /** Moves the clock by `ms` and waits until the runtime has done everything due. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.settle();
  }

  async deploy(
    pipelineId: string,
    plan: DeploymentPlan,
    extra: Partial<DeploymentRequest> = {},
  ): Promise<string> {
    const result = await this.runtime.requestDeployment(pipelineId, {
      commitSha: extra.commitSha ?? 'abc123',
      trigger: 'api',
      actor: 'user:alice',
      plan,
      ...extra,
    });
    if (!result.ok) throw new Error(`deployment refused: ${result.message}`);
    await this.settle();
    return result.deploymentId;
  }

  async operate(pipelineId: string, operation: Operation): Promise<OperationResult> {
    const result = await this.runtime.operate(pipelineId, operation);
    await this.settle();
    return result;
  }

  async state(pipelineId: string): Promise<PipelineState> {
    const state = await this.runtime.getPipelineState(pipelineId);
    if (state === undefined) throw new Error(`no state for ${pipelineId}`);
    return state;
  }

  async deployment(id: string): Promise<Deployment> {
    const pipelineId = id.slice(0, id.lastIndexOf(':'));
    const d = (await this.state(pipelineId)).deployments.find((x) => x.id === id);
    if (d === undefined) throw new Error(`no deployment ${id}`);
    return d;
  }

  /** `stage: status` of each stage of a deployment, for compact assertions. */
  async stages(id: string): Promise<Record<string, string>> {
    const d = await this.deployment(id);
    return Object.fromEntries(d.stages.map((s) => [s.name, s.status]));
  }

  /** `step: status` of one stage of a deployment. */
  async stepStatuses(id: string, stage: string): Promise<Record<string, string>> {
    const d = await this.deployment(id);
    const exec = d.stages.find((s) => s.name === stage);
    return Object.fromEntries((exec?.steps ?? []).map((s) => [s.name, s.status]));
  }

  /** Event codes in order, optionally only those of one deployment. */
  codes(deploymentId?: string): string[] {
    return this.events
      .filter((e) => deploymentId === undefined || e.deploymentId === deploymentId)
      .map((e) => e.type);
  }
}

/** One macrotask later: every microtask (all in-memory store and fake calls) has run by then. */
function nextTurn(): Promise<void> {
  // Test-only helper: the pure-package rule against timers guards product code, not this wait.
  // eslint-disable-next-line no-restricted-globals
  return new Promise((resolve) => setImmediate(resolve));
}
