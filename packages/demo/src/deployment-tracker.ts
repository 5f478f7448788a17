/**
 * Follows the pipeline's event stream: reports each engine event (a bake with its end time) in
 * order, and lets the scenario wait for a deployment to finish.
 */
import { RampartError } from '@rampart/core';
import type { EngineEventInfo } from '@rampart/protocol';
import type { DemoApi } from './demo-api.js';
import type { DemoEventBody } from './demo-events.js';

/** Engine events that end a deployment. */
const FINISHED = new Map([
  ['deployment.succeeded', 'succeeded'],
  ['deployment.failed', 'failed'],
  ['deployment.cancelled', 'cancelled'],
  ['deployment.rolled_back', 'rolled_back'],
  ['deployment.superseded', 'superseded'],
]);

const BAKE_TYPE = 'RAMPART:APPROVAL:BAKE';

interface Waiter {
  deploymentId: string;
  resolve: (status: string) => void;
  reject: (error: Error) => void;
}

/** The scenario's view of the server's event stream. */
export class DeploymentTracker {
  private readonly controller = new AbortController();
  private readonly finished = new Map<string, string>();
  private readonly waiters = new Set<Waiter>();
  private chain: Promise<void> = Promise.resolve();
  private following: Promise<void> | undefined;

  constructor(
    private readonly api: DemoApi,
    private readonly slug: string,
    private readonly emit: (event: DemoEventBody) => void,
  ) {}

  start(): void {
    this.following ??= this.api.followEvents(
      this.slug,
      // One event at a time: a bake's end time is looked up before the next event is reported.
      (event) => {
        this.chain = this.chain.then(() => this.handle(event));
      },
      this.controller.signal,
    );
  }

  /**
   * Resolves with the deployment's final status once it has finished and every event before its
   * end was reported.
   *
   * @throws RampartError `DEMO_STALLED` when it takes longer than `timeoutMs` (real time).
   */
  waitForEnd(deploymentId: string, timeoutMs: number): Promise<string> {
    const known = this.finished.get(deploymentId);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new RampartError(
            'DEMO_STALLED',
            `deployment ${deploymentId} did not finish within ${Math.round(timeoutMs / 1000)} s`,
            {
              source: 'system',
              hint: 'The machine may be too busy for this speed: try `rampart demo --speed 30`.',
            },
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        deploymentId,
        resolve: (status) => {
          clearTimeout(timer);
          resolve(status);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Stops following the stream (events already received are still reported); deployments still
   * waited for are given up.
   */
  async stop(): Promise<void> {
    this.controller.abort();
    for (const waiter of this.waiters) {
      waiter.reject(new RampartError('DEMO_STALLED', 'the demo was stopped', { source: 'user' }));
    }
    this.waiters.clear();
    await this.following;
    await this.chain;
  }

  private async handle(event: EngineEventInfo): Promise<void> {
    const bakeEndsAt = await this.bakeEnd(event);
    this.emit({
      type: 'engine-event',
      event,
      ...(bakeEndsAt === undefined ? {} : { bakeEndsAt }),
    });
    const status = FINISHED.get(event.type);
    if (status === undefined || event.deploymentId === undefined) return;
    this.finished.set(event.deploymentId, status);
    for (const waiter of [...this.waiters]) {
      if (waiter.deploymentId !== event.deploymentId) continue;
      this.waiters.delete(waiter);
      waiter.resolve(status);
    }
  }

  /** For a bake that started, when it ends by itself (the event does not carry it). */
  private async bakeEnd(event: EngineEventInfo): Promise<string | undefined> {
    const data = event.data;
    const type =
      data !== null && typeof data === 'object' && !Array.isArray(data) ? data['type'] : undefined;
    if (
      event.type !== 'step.started' ||
      type !== BAKE_TYPE ||
      event.revision === undefined ||
      event.stage === undefined ||
      event.step === undefined
    ) {
      return undefined;
    }
    try {
      const step = await this.api.step(this.slug, event.revision, event.stage, event.step);
      return step.bakeEndsAt;
    } catch {
      // Only decoration: the event is reported without its end time.
      return undefined;
    }
  }
}
