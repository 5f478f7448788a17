/** The registry of step executors, by canonical step type id. */
import { RampartError, canonicalStepType } from '@rampart/core';
import type { StepExecutor } from '../ports/step-executor.js';

export class StepExecutorRegistry {
  private readonly executors = new Map<string, StepExecutor>();

  /**
   * Adds an executor. `DEVRAMPS:` ids are stored under their `RAMPART:` name.
   *
   * @throws RampartError `INTERNAL` for an id that is neither a built-in nor a `CUSTOM:` type, or
   *   a type registered twice.
   */
  register(executor: StepExecutor): this {
    const type = canonicalId(executor.type);
    if (this.executors.has(type)) {
      throw new RampartError('INTERNAL', `a step executor for ${type} is registered twice`, {
        source: 'system',
      });
    }
    this.executors.set(type, executor);
    return this;
  }

  get(type: string): StepExecutor | undefined {
    const resolved = canonicalStepType(type);
    return this.executors.get(resolved.kind === 'known' ? resolved.id : type);
  }

  /** Registered ids, sorted. */
  types(): string[] {
    return [...this.executors.keys()].sort();
  }
}

function canonicalId(type: string): string {
  const resolved = canonicalStepType(type);
  if (resolved.kind === 'known') return resolved.id;
  if (resolved.kind === 'custom') return type;
  throw new RampartError(
    'INTERNAL',
    `"${type}" is not a step type id: use RAMPART:<GROUP>:<NAME> or CUSTOM:<NAME>`,
    { source: 'system' },
  );
}
