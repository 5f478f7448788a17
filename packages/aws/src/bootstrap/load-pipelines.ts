/** Discovers and validates the pipelines to bootstrap (or to hand out credentials for). */
import {
  nodeFileSystem,
  validateRepository,
  type Diagnostic,
  type PipelineModel,
  type ResolvedStage,
} from '@rampart/core';
import type { BootstrapSettings } from './templates/bootstrap-settings.js';

/** A valid pipeline with its stages resolved for the organization. */
export interface ValidPipeline {
  model: PipelineModel;
  resolved: ReadonlyMap<string, ResolvedStage>;
}

/** Every pipeline under a path: the valid ones, and the errors of the others. */
export interface LoadedPipelines {
  pipelines: ValidPipeline[];
  /** Errors of invalid pipelines and of discovery; bootstrap refuses to run while any exist. */
  errors: Diagnostic[];
}

/** Validates every pipeline under `root` (a repository root or one pipeline file). */
export async function loadPipelines(
  root: string,
  settings: BootstrapSettings,
): Promise<LoadedPipelines> {
  const result = await validateRepository(root, nodeFileSystem, {
    organization: settings.organization,
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const pipelines: ValidPipeline[] = [];
  for (const p of result.pipelines) {
    errors.push(...p.errors);
    if (p.model !== undefined) pipelines.push({ model: p.model, resolved: p.resolvedStages });
  }
  return { pipelines, errors };
}
