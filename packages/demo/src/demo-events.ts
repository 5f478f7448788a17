/**
 * What the demo reports while it runs. The library never prints (STYLE rule 5): `rampart demo`
 * renders these, tests assert on them.
 */
import type { EngineEventInfo } from '@rampart/protocol';
import type { DemoCommit } from './example-repository.js';

/** When an event happened: real time since the demo started, and demo (emulated) time. */
export interface DemoTiming {
  /** Real milliseconds since `runDemo` was called. */
  elapsedMs: number;
  /** The demo clock's time, ISO 8601. */
  at: string;
}

/** One event, without its timing. */
export type DemoEventBody =
  | { type: 'sandbox-started'; endpoint: string; accounts: number }
  | { type: 'server-started'; url: string }
  | { type: 'repository-created'; dir: string; commit: DemoCommit }
  | {
      type: 'bootstrap-stack';
      stackName: string;
      accountId: string;
      region: string;
      result: 'created' | 'updated' | 'no-change';
    }
  | { type: 'bootstrap-done'; stacks: number }
  | {
      type: 'workload-ready';
      stage: string;
      accountId: string;
      region: string;
      /** The stage's rollback alarm. @default none (staging has no alarm) */
      alarm?: string;
    }
  | { type: 'pipeline-registered'; slug: string }
  | { type: 'revision-committed'; commit: DemoCommit }
  | { type: 'image-marked-unhealthy'; image: string }
  | { type: 'release-requested'; revision: number; commit: DemoCommit }
  | {
      type: 'engine-event';
      event: EngineEventInfo;
      /** For a bake that started: when it ends by itself (demo time). @default absent for other events */
      bakeEndsAt?: string;
    }
  | {
      type: 'server-notice';
      /** The server's or the engine runtime's notice code (`runtime.command_failed` …). */
      code: string;
      message: string;
    }
  | { type: 'scenario-finished'; ok: boolean };

/** An event with its timing. */
export type DemoEvent = DemoEventBody & DemoTiming;

/** Receives the demo's events as they happen. */
export type DemoListener = (event: DemoEvent) => void;
