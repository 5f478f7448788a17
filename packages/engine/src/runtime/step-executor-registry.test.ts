import { describe, expect, it } from 'vitest';
import { STEP_TYPES, isRampartError } from '@rampart/core';
import { defineStepExecutor } from '../ports/step-executor.js';
import { StepExecutorRegistry } from './step-executor-registry.js';

const script = defineStepExecutor({
  type: 'DEVRAMPS:SCRIPT:RUN',
  // A zod schema from the catalog is a ParamsSchema as it is.
  paramsSchema: STEP_TYPES['RAMPART:SCRIPT:RUN'].params,
  iamActions: () => [],
  execute: (ctx) => Promise.resolve({ kind: 'succeeded', outputs: { ran: ctx.params.command } }),
});

describe('StepExecutorRegistry', () => {
  it('stores executors under their canonical id and finds them by either prefix', () => {
    const registry = new StepExecutorRegistry().register(script);
    expect(registry.get('RAMPART:SCRIPT:RUN')).toBe(script);
    expect(registry.get('DEVRAMPS:SCRIPT:RUN')).toBe(script);
    expect(registry.get('RAMPART:ECS:DEPLOY')).toBeUndefined();
    registry.register({ ...script, type: 'CUSTOM:NOTIFY' });
    expect(registry.types()).toEqual(['CUSTOM:NOTIFY', 'RAMPART:SCRIPT:RUN']);
  });

  it('refuses a second executor for a type and ids that are not step types', () => {
    const registry = new StepExecutorRegistry().register(script);
    const twice = () => registry.register({ ...script, type: 'RAMPART:SCRIPT:RUN' });
    expect(twice).toThrow(/registered twice/);
    let error: unknown;
    try {
      registry.register({ ...script, type: 'SCRIPT' });
    } catch (e) {
      error = e;
    }
    expect(isRampartError(error)).toBe(true);
    expect((error as Error).message).toBe(
      '"SCRIPT" is not a step type id: use RAMPART:<GROUP>:<NAME> or CUSTOM:<NAME>',
    );
  });
});
