import { describe, expect, it } from 'vitest';
import type { StageTarget } from '../model/pipeline-state.js';
import type { JsonValue } from '../ports/engine-store.js';
import type { SecretRequest, SecretResolver } from '../ports/secret-resolver.js';
import type { StepContext, StepExecutor, StepRunContext } from '../ports/step-executor.js';
import { REDACTED } from './secret-redactor.js';
import {
  SecretResolvingExecutors,
  resolveSecrets,
  withSecrets,
} from './secret-resolving-executors.js';
import { StepExecutorRegistry } from './step-executor-registry.js';

const TARGET: StageTarget = {
  pipelineId: 'web',
  pipelineSlug: 'web',
  stage: 'prod',
  accountId: '111111111111',
  region: 'us-east-1',
  role: 'r',
};
const ORG_VALUE = 'org-secret-value-1';
const STAGE_VALUE = 'prod stage/value&2';

/** Knows one organization and one stage secret (of stage prod); records what it was asked. */
class TableResolver implements SecretResolver {
  readonly requests: SecretRequest[] = [];
  resolve(request: SecretRequest): Promise<Map<string, string>> {
    this.requests.push(request);
    const values = new Map<string, string>();
    for (const ref of request.secrets) {
      if (ref.scope === 'organization' && ref.name === 'ORG') values.set(ref.marker, ORG_VALUE);
      else if (ref.scope === 'stage' && ref.name === 'DB' && request.target.stage === 'prod')
        values.set(ref.marker, STAGE_VALUE);
      else return Promise.reject(new Error(`${ref.scope} secret "${ref.name}" is not set`));
    }
    return Promise.resolve(values);
  }
}

interface Params {
  command: string;
  env: Record<string, string>;
}

/** Echoes what it got everywhere it can: log, effects, outputs; fails when told to. */
function echoExecutor(seen: { params?: Params; vars?: unknown }): StepExecutor<Params> {
  return {
    type: 'RAMPART:SCRIPT:RUN',
    paramsSchema: {
      safeParse: (input) => {
        const p = input as Params;
        return /\[(STAGE_)?SECRET:/.test(JSON.stringify(p))
          ? { success: false, error: { issues: [{ path: ['command'], message: 'unresolved' }] } }
          : p.command.startsWith('invalid')
            ? {
                success: false,
                error: { issues: [{ path: ['command'], message: `bad "${p.command}"` }] },
              }
            : { success: true, data: p };
      },
    },
    iamActions: () => ['s3:GetObject'],
    async execute(ctx) {
      seen.params = ctx.params;
      seen.vars = ctx.vars;
      ctx.log(`running ${ctx.params.command}`);
      await ctx.effects.put('started', { command: ctx.params.command });
      if (ctx.params.command.startsWith('fail')) throw new Error(`failed: ${ctx.params.command}`);
      if (ctx.params.command.startsWith('poll'))
        return { kind: 'poll-again', afterMs: 5, pollingState: { token: ctx.params.env.T ?? '' } };
      return {
        kind: 'succeeded',
        outputs: { echoed: ctx.params.env.T ?? '', b64: Buffer.from(ORG_VALUE).toString('base64') },
      };
    },
  };
}

function context(params: JsonValue, vars: JsonValue = {}) {
  const logs: string[] = [];
  const effects = new Map<string, JsonValue>();
  const base: StepRunContext = {
    commandId: 'c1',
    journalKey: 'j1',
    target: TARGET,
    vars: vars as StepRunContext['vars'],
    step: { name: 'Run', type: 'RAMPART:SCRIPT:RUN' },
    signal: new AbortController().signal,
    credentials: () => Promise.resolve({ accessKeyId: 'a', secretAccessKey: 'b' }),
    log: (text) => logs.push(text),
    effects: {
      get: () => Promise.resolve(Object.fromEntries(effects)),
      put: (name, value) => {
        effects.set(name, value);
        return Promise.resolve();
      },
    },
    now: () => new Date(0),
  };
  const ctx: StepContext<unknown> = {
    ...base,
    params,
    deployment: { id: 'd1', revision: 1, commitSha: 'abc' },
    step: { name: 'Run', key: 'run', type: 'RAMPART:SCRIPT:RUN' },
    attempt: 1,
    call: 1,
  };
  return { ctx, logs, effects };
}

describe('steps with secrets', () => {
  it('gives the executor the values and redacts its log, effects and outputs', async () => {
    const seen: { params?: Params; vars?: unknown } = {};
    const resolver = new TableResolver();
    const executor = withSecrets(echoExecutor(seen), resolver);
    const { ctx, logs, effects } = context(
      {
        command: 'deploy [SECRET:ORG] [STAGE_SECRET:DB]',
        env: { T: '[SECRET:ORG]', PLAIN: 'x' },
      },
      { db: '[STAGE_SECRET:DB]' },
    );
    const outcome = await executor.execute(ctx);
    expect(seen.params).toEqual({
      command: `deploy ${ORG_VALUE} ${STAGE_VALUE}`,
      env: { T: ORG_VALUE, PLAIN: 'x' },
    });
    expect(seen.vars).toEqual({ db: STAGE_VALUE });
    expect(resolver.requests).toEqual([
      {
        target: TARGET,
        deploymentId: 'd1',
        secrets: [
          { scope: 'organization', name: 'ORG', marker: '[SECRET:ORG]' },
          { scope: 'stage', name: 'DB', marker: '[STAGE_SECRET:DB]' },
        ],
      },
    ]);
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: { echoed: REDACTED, b64: REDACTED },
    });
    expect(logs).toEqual([`running deploy ${REDACTED} ${REDACTED}`]);
    expect(effects.get('started')).toEqual({ command: `deploy ${REDACTED} ${REDACTED}` });
    // The params the runtime holds (the stored command payload) still carry markers.
    expect(ctx.params).toMatchObject({ env: { T: '[SECRET:ORG]' } });
  });

  it('redacts thrown errors, invalid-params messages and polling state', async () => {
    const executor = withSecrets(echoExecutor({}), new TableResolver());
    const failed = await executor.execute(context({ command: 'fail [SECRET:ORG]', env: {} }).ctx);
    expect(failed).toEqual({
      kind: 'failed',
      code: 'executor',
      message: `failed: fail ${REDACTED}`,
    });
    const invalid = await executor.execute(
      context({ command: 'invalid [SECRET:ORG]', env: {} }).ctx,
    );
    expect(invalid).toEqual({
      kind: 'failed',
      code: 'params',
      message: `params.command: bad "invalid ${REDACTED}"`,
    });
    const polled = await executor.execute(
      context({ command: 'poll', env: { T: '[SECRET:ORG]' } }).ctx,
    );
    expect(polled).toEqual({ kind: 'poll-again', afterMs: 5, pollingState: { token: REDACTED } });
  });

  it('fails the step naming the secret and scope when the resolver does not have it', async () => {
    const seen: { params?: Params } = {};
    const executor = withSecrets(echoExecutor(seen), new TableResolver());
    const outcome = await executor.execute(context({ command: 'x [SECRET:NOPE]', env: {} }).ctx);
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'secrets',
      message: 'organization secret "NOPE" is not set',
    });
    expect(seen.params).toBeUndefined();
  });

  it('runs steps without markers as before, without asking the resolver', async () => {
    const resolver = new TableResolver();
    const executor = withSecrets(echoExecutor({}), resolver);
    const { ctx, logs } = context({ command: 'plain', env: { T: 'visible' } });
    expect(await executor.execute(ctx)).toMatchObject({
      kind: 'succeeded',
      outputs: { echoed: 'visible' },
    });
    expect(logs).toEqual(['running plain']);
    expect(resolver.requests).toEqual([]);
  });

  it('hands out wrapped executors from a registry, once each', () => {
    const inner = new StepExecutorRegistry().register(echoExecutor({}));
    const registry = new SecretResolvingExecutors(inner, new TableResolver());
    const wrapped = registry.get('DEVRAMPS:SCRIPT:RUN');
    expect(wrapped).toBeDefined();
    expect(wrapped).toBe(registry.get('RAMPART:SCRIPT:RUN'));
    expect(wrapped).not.toBe(inner.get('RAMPART:SCRIPT:RUN'));
    expect(wrapped?.paramsSchema.safeParse({ any: '[SECRET:X]' })).toEqual({
      success: true,
      data: { any: '[SECRET:X]' },
    });
    expect(registry.types()).toEqual(['RAMPART:SCRIPT:RUN']);
    expect(registry.get('RAMPART:ECS:DEPLOY')).toBeUndefined();
  });

  it('resolves the markers of any value for builds', async () => {
    const resolved = await resolveSecrets(
      new TableResolver(),
      { args: ['TOKEN=[SECRET:ORG]'] },
      { target: TARGET },
    );
    expect(resolved.value).toEqual({ args: [`TOKEN=${ORG_VALUE}`] });
    expect(resolved.redactor.redact(`build ${ORG_VALUE}`)).toBe(`build ${REDACTED}`);
  });
});
