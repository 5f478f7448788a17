import { AwsClientFactory } from '@rampart/aws';
import { StepExecutorRegistry } from '@rampart/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinStepExecutors } from './builtin-step-executors.js';
import { parseParams, stepContext } from './test-support/step-context.js';
import { tempWorkspace } from './test-support/temp-workspace.js';

describe('builtinStepExecutors', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.remove());
  const sdk = new AwsClientFactory({ endpointUrl: 'http://127.0.0.1:4566' });

  it('registers the script, test and AWS step types, leaving bake and manual approval to the engine', () => {
    const registry = new StepExecutorRegistry();
    for (const executor of builtinStepExecutors({ sdk, workspaces: ws.workspaces })) {
      registry.register(executor);
    }
    expect(registry.types()).toEqual([
      'RAMPART:APPROVAL:TEST',
      'RAMPART:CLOUDFORMATION:DEPLOY',
      'RAMPART:CLOUDFRONT:INVALIDATE',
      'RAMPART:ECS:DEPLOY',
      'RAMPART:ECS:RUN_TASK',
      'RAMPART:LAMBDA:DEPLOY',
      'RAMPART:LAMBDA:INVOKE',
      'RAMPART:S3:UPLOAD',
      'RAMPART:SCRIPT:RUN',
    ]);
    expect(registry.get('DEVRAMPS:LAMBDA:DEPLOY')?.type).toBe('RAMPART:LAMBDA:DEPLOY');
    expect(registry.get('DEVRAMPS:SCRIPT:RUN')?.type).toBe('RAMPART:SCRIPT:RUN');
    expect(registry.get('RAMPART:APPROVAL:BAKE')).toBeUndefined();
  });

  it('gives scripts the factory’s endpoint override unless one is passed', async () => {
    const endpointOf = async (endpointUrl?: string) => {
      const [script] = builtinStepExecutors({
        sdk,
        workspaces: ws.workspaces,
        ...(endpointUrl === undefined ? {} : { endpointUrl }),
      });
      if (script === undefined) throw new Error('no executor');
      const h = stepContext(
        parseParams(script.paramsSchema, {
          command: 'echo "URL=$AWS_ENDPOINT_URL" > "$RAMPART_OUTPUT"',
        }),
      );
      return script.execute(h.ctx);
    };
    expect(await endpointOf()).toEqual({
      kind: 'succeeded',
      outputs: { URL: 'http://127.0.0.1:4566' },
    });
    expect(await endpointOf('http://localhost:9999')).toEqual({
      kind: 'succeeded',
      outputs: { URL: 'http://localhost:9999' },
    });
  });
});
