/**
 * What bootstrap reports while it runs. Libraries never print (STYLE rule 5): the CLI renders
 * these events, tests assert on them.
 */
import type { StackKind } from './bootstrap-plan.js';
import type { StackDiff } from './template-diff.js';
import type { AlarmWatch } from './templates/alarm-push.js';

/** Where a stack is. */
export interface StackRef {
  kind: StackKind;
  stackName: string;
  accountId: string;
  region: string;
}

/** How a deployed stack compares with the generated one (`--check`). */
export type StackCheckState = 'missing' | 'out-of-date' | 'up-to-date';

/** What `--dry-run` would do to a stack. */
export type StackChange = 'CREATE' | 'UPDATE' | 'NO CHANGE';

/** How a deployment of a stack ended. */
export type StackResult = 'created' | 'updated' | 'no-change';

export type BootstrapEvent =
  | { type: 'account-reached'; accountId: string; via: string }
  | { type: 'account-unreachable'; accountId: string; message: string }
  | { type: 'stack-waiting'; stack: StackRef; status: string }
  | { type: 'stack-deleting'; stack: StackRef; status: string }
  | { type: 'stack-deploying'; stack: StackRef; change: 'create' | 'update' }
  | { type: 'stack-progress'; stack: StackRef; status: string }
  | { type: 'stack-done'; stack: StackRef; result: StackResult }
  | { type: 'stack-failed'; stack: StackRef; message: string }
  | { type: 'stack-skipped'; stack: StackRef; reason: string }
  | { type: 'stack-diff'; stack: StackRef; change: StackChange; diff: StackDiff }
  | { type: 'stack-check'; stack: StackRef; state: StackCheckState; reasons: string[] }
  /**
   * How a stage's rollback alarms reach the engine, once its stack is deployed (deploy), or as its
   * template has it (dry run, check). Stages without rollback alarms get none.
   */
  | { type: 'alarm-watch'; stack: StackRef; pipeline: string; stage: string; watch: AlarmWatch }
  /** `--check` with `public_url`: whether `<public_url>/healthz` answers from this machine. */
  | { type: 'public-url-check'; url: string; reachable: boolean; detail: string };

/** Receives events as they happen. */
export type BootstrapListener = (event: BootstrapEvent) => void;
