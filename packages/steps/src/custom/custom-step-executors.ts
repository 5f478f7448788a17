// Every configured step registry, built and turned into executors: what the server registers at
// start besides the built-in step types.
import { RampartError } from '@rampart/core';
import type { StepExecutor } from '@rampart/engine';
import {
  createCustomStepExecutor,
  type CustomStepExecutorOptions,
} from './custom-step-executor.js';
import {
  loadStepRegistry,
  type LoadStepRegistryOptions,
  type LoadedStepRegistry,
} from './load-step-registry.js';
import type { StepRegistrySource } from './step-registry-source.js';

/** Options of {@link loadCustomStepExecutors}. */
export interface CustomStepExecutorsOptions
  extends
    LoadStepRegistryOptions,
    Omit<CustomStepExecutorOptions, 'registry' | 'step' | 'baseEnv' | 'npmCommand'> {}

/** The registries loaded and one executor per step type they provide. */
export interface CustomStepExecutors {
  registries: LoadedStepRegistry[];
  executors: StepExecutor[];
}

/**
 * Builds each registry in turn (builds are heavy; one at a time) and creates its executors.
 * @throws RampartError from {@link loadStepRegistry}, and `STEP_REGISTRY_METADATA_INVALID` when
 *   two registries provide the same type
 */
export async function loadCustomStepExecutors(
  sources: readonly StepRegistrySource[],
  options: CustomStepExecutorsOptions,
): Promise<CustomStepExecutors> {
  const registries: LoadedStepRegistry[] = [];
  const executors: StepExecutor[] = [];
  const providers = new Map<string, string>();
  for (const source of sources) {
    const registry = await loadStepRegistry(source, options);
    registries.push(registry);
    for (const step of registry.steps) {
      const earlier = providers.get(step.type);
      if (earlier !== undefined) {
        throw new RampartError(
          'STEP_REGISTRY_METADATA_INVALID',
          `${step.type} is provided by two step registries: ${earlier} and ${registry.source}`,
          {
            source: 'user',
            hint: 'Remove one of the registries from step_registries, or rename the type in one of them.',
          },
        );
      }
      providers.set(step.type, registry.source);
      executors.push(
        createCustomStepExecutor({
          ...options,
          registry: { dir: registry.dir, source: registry.source },
          step,
        }),
      );
    }
  }
  return { registries, executors };
}
