import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject, JsonValue } from '@rampart/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepContext, TEST_CREDENTIALS } from '../test-support/step-context.js';
import { createCustomStepExecutor } from './custom-step-executor.js';
import { parseRegistryMetadata } from './registry-metadata.js';

// Answers by what it was given: approval first, then a trigger, then success echoing its input.
const PROGRAM = `
import { writeFileSync } from 'node:fs';
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];
const input = JSON.parse(args.input);
const result = input.pollingState !== undefined
  ? { status: 'SUCCESS', outputs: { input, key: process.env.AWS_ACCESS_KEY_ID, region: process.env.AWS_REGION, id: args['execution-id'] } }
  : input.approvalContext !== undefined
    ? { status: 'TRIGGERED', pollingState: { after: input.approvalContext }, retryAfterMs: 7 }
    : { status: 'APPROVAL_REQUIRED', approvalContext: { message: 'Ship it?', plan: 3 } };
writeFileSync(args.output, JSON.stringify(result));
`;

describe('a custom step executor', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-custom-executor-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ scripts: { 'start-step-registry': 'node program.mjs' } }),
    );
    writeFileSync(join(dir, 'program.mjs'), PROGRAM);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const metadata = parseRegistryMetadata({
    status: 'SUCCESS',
    metadata: {
      steps: [
        {
          type: 'SHIP',
          paramsSchema: {
            type: 'object',
            properties: { app: { type: 'string' } },
            required: ['app'],
          },
        },
      ],
    },
  });
  const step = metadata.ok ? metadata.steps[0] : undefined;
  if (step === undefined) throw new Error('bad test metadata');
  // Made per test: the folder exists only once beforeAll ran.
  const executorIn = (folder: string) =>
    createCustomStepExecutor({ registry: { dir: folder, source: 'test' }, step });

  it('checks params against the schema', () => {
    const executor = executorIn(dir);
    expect(executor.type).toBe('CUSTOM:SHIP');
    expect(executor.paramsSchema.safeParse({ app: 'web' }).success).toBe(true);
    expect(executor.paramsSchema.safeParse({})).toMatchObject({
      success: false,
      error: { issues: [{ path: ['app'], message: 'is required' }] },
    });
  });

  it('maps approval, trigger and success onto the engine, passing back the approval context and polling state', async () => {
    const executor = executorIn(dir);
    const journal = new Map<string, JsonValue>();
    const params: JsonObject = { app: 'web' };
    const first = stepContext(params, { journal });
    expect(await executor.execute(first.ctx)).toEqual({
      kind: 'approval-required',
      message: 'Ship it?',
    });

    const second = stepContext(params, { journal });
    second.ctx.call = 2;
    second.ctx.approval = { actor: 'ann', reason: 'ok', at: '2026-03-01T10:00:00Z' };
    const triggered = await executor.execute(second.ctx);
    expect(triggered).toEqual({
      kind: 'poll-again',
      afterMs: 7,
      pollingState: { after: { message: 'Ship it?', plan: 3 } },
    });

    const third = stepContext(params, { journal });
    third.ctx.call = 3;
    third.ctx.pollingState = triggered.kind === 'poll-again' ? triggered.pollingState : undefined;
    expect(await executor.execute(third.ctx)).toEqual({
      kind: 'succeeded',
      outputs: {
        input: {
          job: 'EXECUTE',
          type: 'SHIP',
          params,
          pollingState: { after: { message: 'Ship it?', plan: 3 } },
        },
        key: TEST_CREDENTIALS.accessKeyId,
        region: 'us-west-2',
        id: third.ctx.journalKey,
      },
    });
    expect(third.logs.map((l) => l.text)).toContain(
      'running CUSTOM:SHIP (call 3) from step registry test',
    );
  }, 60_000);
});
