/**
 * Secrets for steps: each executor is wrapped so that, just before it runs, the secrets its params
 * (and vars) reference are resolved through the {@link SecretResolver} port and substituted in
 * memory; and everything the step hands back or writes (log lines, outputs, error messages,
 * polling state, effect journal entries) passes through one {@link SecretRedactor} holding those
 * values. The command payload in the store keeps the markers; no value reaches the store.
 */
import { RampartError } from '@rampart/core';
import type { StepOutcome } from '../decide/inputs.js';
import type { JsonObject } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';
import type { JsonValue } from '../ports/engine-store.js';
import type { SecretReference, SecretResolver } from '../ports/secret-resolver.js';
import type {
  ParamsSchema,
  RollbackContext,
  RollbackOutcome,
  StepContext,
  StepExecutor,
  StepRunContext,
} from '../ports/step-executor.js';
import { secretReferences, substituteSecrets } from './secret-markers.js';
import { SecretRedactor } from './secret-redactor.js';
import { StepExecutorRegistry } from './step-executor-registry.js';

/** Resolved secrets of one value: the value with them substituted, and their redactor. */
export interface ResolvedSecrets<T> {
  value: T;
  redactor: SecretRedactor;
  /** What was referenced (empty when nothing was). */
  references: SecretReference[];
}

/**
 * Resolves the secret markers in `value` for `target` and substitutes them, in memory. Builds call
 * it for artifact params (`args`, `env`) with the stage of a per-stage build, or a target whose
 * stage secrets must not be used. Errors name the secret and its scope.
 */
export async function resolveSecrets<T extends JsonValue>(
  resolver: SecretResolver,
  value: T,
  request: { target: StageTarget; deploymentId?: string },
): Promise<ResolvedSecrets<T>> {
  const references = secretReferences(value);
  if (references.length === 0) return { value, redactor: new SecretRedactor([]), references };
  const values = await resolver.resolve({ ...request, secrets: references });
  for (const reference of references) {
    if (!values.has(reference.marker)) {
      throw new RampartError(
        'SECRET_NOT_FOUND',
        `${reference.scope === 'stage' ? `stage "${request.target.stage}"` : 'organization'} secret "${reference.name}" was not resolved`,
        { source: 'system', hint: 'Set it with `rampart secrets set`.' },
      );
    }
  }
  return {
    value: substituteSecrets(value, values),
    redactor: new SecretRedactor(values.values()),
    references,
  };
}

/** Takes params as written: the wrapped executor's own schema runs after substitution. */
const rawParams: ParamsSchema<unknown> = {
  safeParse: (input) => ({ success: true, data: input }),
};

/** A registry that hands out each executor of `inner` wrapped by {@link withSecrets}. */
export class SecretResolvingExecutors extends StepExecutorRegistry {
  readonly #inner: StepExecutorRegistry;
  readonly #resolver: SecretResolver;
  readonly #wrapped = new WeakMap<StepExecutor, StepExecutor>();

  constructor(inner: StepExecutorRegistry, resolver: SecretResolver) {
    super();
    this.#inner = inner;
    this.#resolver = resolver;
  }

  override register(executor: StepExecutor): this {
    this.#inner.register(executor);
    return this;
  }

  override get(type: string): StepExecutor | undefined {
    const executor = this.#inner.get(type);
    if (executor === undefined) return undefined;
    let wrapped = this.#wrapped.get(executor);
    if (wrapped === undefined) {
      wrapped = withSecrets(executor, this.#resolver);
      this.#wrapped.set(executor, wrapped);
    }
    return wrapped;
  }

  override types(): string[] {
    return this.#inner.types();
  }
}

/** `executor`, resolving the secrets of its params just before each call and redacting them after. */
export function withSecrets(executor: StepExecutor, resolver: SecretResolver): StepExecutor {
  const wrapped: StepExecutor = {
    type: executor.type,
    paramsSchema: rawParams,
    iamActions: (params) => executor.iamActions(params),
    async execute(ctx: StepContext<unknown>): Promise<StepOutcome> {
      const prepared = await prepare(resolver, ctx, ctx.params, ctx.deployment.id);
      if (!prepared.ok) return { kind: 'failed', code: 'secrets', message: prepared.message };
      const { redactor } = prepared;
      const parsed = parse(executor.paramsSchema, prepared.params);
      if (!parsed.ok)
        return { kind: 'failed', code: 'params', message: redactor.redact(parsed.message) };
      try {
        const outcome = await executor.execute({
          ...redactingContext(ctx, redactor),
          params: parsed.data,
          vars: prepared.vars,
        } as StepContext<unknown>);
        return redactOutcome(outcome, redactor);
      } catch (error) {
        return { kind: 'failed', code: 'executor', message: redactor.redact(messageOf(error)) };
      }
    },
  };
  const rollback = executor.rollback?.bind(executor);
  if (rollback !== undefined) {
    wrapped.rollback = async (ctx: RollbackContext<unknown>): Promise<RollbackOutcome> => {
      const prepared = await prepare(resolver, ctx, ctx.targetParams ?? null, undefined);
      if (!prepared.ok) return { kind: 'failed', message: prepared.message };
      const { redactor } = prepared;
      let targetParams: unknown;
      if (ctx.targetParams !== undefined) {
        const parsed = parse(executor.paramsSchema, prepared.params);
        if (!parsed.ok) return { kind: 'failed', message: redactor.redact(parsed.message) };
        targetParams = parsed.data;
      }
      try {
        const { targetParams: _raw, ...rest } = ctx;
        const outcome = await rollback({
          ...rest,
          ...redactingContext(ctx, redactor),
          ...(targetParams === undefined ? {} : { targetParams }),
        });
        return outcome.kind === 'succeeded'
          ? { kind: 'succeeded', outputs: redactor.redactJson(outcome.outputs) }
          : { kind: 'failed', message: redactor.redact(outcome.message) };
      } catch (error) {
        return { kind: 'failed', message: redactor.redact(messageOf(error)) };
      }
    };
  }
  return wrapped;
}

type Prepared =
  | { ok: true; params: unknown; vars: JsonObject; redactor: SecretRedactor }
  | { ok: false; message: string };

async function prepare(
  resolver: SecretResolver,
  ctx: StepRunContext,
  params: unknown,
  deploymentId: string | undefined,
): Promise<Prepared> {
  try {
    const resolved = await resolveSecrets(
      resolver,
      { params: params as JsonValue, vars: ctx.vars },
      { target: ctx.target, ...(deploymentId === undefined ? {} : { deploymentId }) },
    );
    return {
      ok: true,
      params: resolved.value.params,
      vars: resolved.value.vars,
      redactor: resolved.redactor,
    };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

/** The context with its log and effect journal redacting on the way out. */
function redactingContext(ctx: StepRunContext, redactor: SecretRedactor): StepRunContext {
  if (redactor.empty) return ctx;
  return {
    ...ctx,
    log: (text, stream) => ctx.log(redactor.redact(text), stream),
    effects: {
      get: () => ctx.effects.get(),
      put: (name, value) => ctx.effects.put(name, redactor.redactJson(value)),
    },
  };
}

function redactOutcome(outcome: StepOutcome, redactor: SecretRedactor): StepOutcome {
  if (redactor.empty || outcome === null || typeof outcome !== 'object') return outcome;
  switch (outcome.kind) {
    case 'succeeded':
      return { ...outcome, outputs: redactor.redactJson(outcome.outputs ?? {}) };
    case 'failed':
      return { ...outcome, message: redactor.redact(String(outcome.message)) };
    case 'approval-required':
      return outcome.message === undefined
        ? outcome
        : { ...outcome, message: redactor.redact(outcome.message) };
    case 'poll-again':
      return outcome.pollingState === undefined
        ? outcome
        : { ...outcome, pollingState: redactor.redactJson(outcome.pollingState) };
    default:
      // Not an outcome at all: the runner turns it into a failure.
      return outcome;
  }
}

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
