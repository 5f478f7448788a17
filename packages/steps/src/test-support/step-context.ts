/**
 * Test helpers: a step context as the engine builds one, with an in-memory journal, collected log
 * lines and an abort controller, and params parsed by the executor's own schema.
 */
import type {
  JsonObject,
  JsonValue,
  ParamsSchema,
  RollbackContext,
  StageCredentials,
  StageTarget,
  StepContext,
  StepRunContext,
} from '@rampart/engine';

export interface LoggedLine {
  text: string;
  stream: 'stdout' | 'stderr' | 'info';
}

export const TEST_CREDENTIALS: StageCredentials = {
  accessKeyId: 'ASIATESTACCESSKEY',
  secretAccessKey: 'test-secret-access-key-0123456789',
  sessionToken: 'test-session-token-0123456789',
};

export const TEST_TARGET: StageTarget = {
  pipelineId: 'pl-1',
  pipelineSlug: 'web',
  stage: 'staging',
  accountId: '444444444444',
  region: 'us-west-2',
  role: 'rampart-acme-web-staging',
};

export interface Harness {
  logs: LoggedLine[];
  journal: Map<string, JsonValue>;
  controller: AbortController;
}

export interface HarnessOptions {
  target?: StageTarget;
  credentials?: () => Promise<StageCredentials>;
  now?: () => Date;
  journalKey?: string;
  /** Shares a journal between contexts (a re-run of the same attempt). */
  journal?: Map<string, JsonValue>;
  /** Sees each log line as it is written. */
  onLog?: (line: LoggedLine) => void;
}

/** Parses raw params with `schema` as the engine does; throws with the issues when they fail. */
export function parseParams<P>(schema: ParamsSchema<P>, raw: unknown): P {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

function runContext(options: HarnessOptions, harness: Harness): StepRunContext {
  return {
    commandId: 'cmd-1',
    journalKey: options.journalKey ?? 'pl-1:7/0/r1/s0/c1',
    target: options.target ?? TEST_TARGET,
    vars: {},
    step: { name: 'Step', type: 'RAMPART:TEST' },
    signal: harness.controller.signal,
    credentials: options.credentials ?? (() => Promise.resolve(TEST_CREDENTIALS)),
    log: (text, stream = 'stdout') => {
      const line = { text, stream };
      harness.logs.push(line);
      options.onLog?.(line);
    },
    effects: {
      get: () => Promise.resolve(Object.fromEntries(harness.journal)),
      put: (name, value) => {
        harness.journal.set(name, value);
        return Promise.resolve();
      },
    },
    now: options.now ?? (() => new Date('2026-03-01T10:00:00Z')),
  };
}

/** An execute context for `params`. */
export function stepContext<P>(
  params: P,
  options: HarnessOptions = {},
): Harness & { ctx: StepContext<P> } {
  const harness: Harness = {
    logs: [],
    journal: options.journal ?? new Map<string, JsonValue>(),
    controller: new AbortController(),
  };
  const base = runContext(options, harness);
  const ctx: StepContext<P> = {
    ...base,
    params,
    deployment: {
      id: 'pl-1:7',
      revision: 7,
      commitSha: 'c0ffee0000000000000000000000000000000000',
    },
    step: { name: 'Step', key: 'step', type: base.step.type },
    attempt: 1,
    call: 1,
  };
  return { ...harness, ctx };
}

/** A rollback context restoring revision 6. */
export function rollbackContext<P>(
  spec: { targetParams?: P; targetOutputs?: JsonObject; failedOutputs?: JsonObject },
  options: HarnessOptions = {},
): Harness & { ctx: RollbackContext<P> } {
  const harness: Harness = {
    logs: [],
    journal: options.journal ?? new Map<string, JsonValue>(),
    controller: new AbortController(),
  };
  const ctx: RollbackContext<P> = {
    ...runContext({ journalKey: 'pl-1:rb1/0', ...options }, harness),
    rollbackId: 'pl-1:rb1',
    toRevision: 6,
    ...(spec.targetParams === undefined ? {} : { targetParams: spec.targetParams }),
    ...(spec.targetOutputs === undefined ? {} : { targetOutputs: spec.targetOutputs }),
    ...(spec.failedOutputs === undefined ? {} : { failedOutputs: spec.failedOutputs }),
  };
  return { ...harness, ctx };
}
