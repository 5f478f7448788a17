/** validate: discovery, loading, schema, semantic and expression checks of every pipeline in a repo. */
import type { Diagnostic } from '../errors/index.js';
import { DiagnosticBag, sortDiagnostics } from '../errors/index.js';
import { discoverPipelines, type PipelineSource } from '../discovery/discover-pipelines.js';
import type { FileSystem } from '../discovery/file-system.js';
import { buildModel } from './build-model.js';
import { checkExpressionPlaces } from './check-expression-places.js';
import type { ScopeInputs } from './expression-scope.js';
import { loadPipeline, type LoadedPipeline } from './load-pipeline.js';
import type { PipelineModel } from './pipeline-model.js';
import { resolveArtifact, resolveStage, type ResolvedStage } from './resolve-stage.js';

export interface PipelineValidation {
  source: PipelineSource;
  /** Present when the pipeline has no errors. */
  model: PipelineModel | undefined;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Each stage's vars and step params as resolved while checking (same inputs); the planner reuses them. */
  resolvedStages: ReadonlyMap<string, ResolvedStage>;
}

export interface RepositoryValidation {
  valid: boolean;
  pipelines: PipelineValidation[];
  /** Problems not tied to one pipeline (duplicate slugs, …). */
  diagnostics: Diagnostic[];
}

/** Validates every pipeline under `path` (a repo root or a pipeline file). Throws only for a bad path. */
export async function validateRepository(
  path: string,
  fs: FileSystem,
  inputs: ScopeInputs = {},
): Promise<RepositoryValidation> {
  const discovery = await discoverPipelines(path, fs);
  const pipelines: PipelineValidation[] = [];
  for (const source of discovery.pipelines)
    pipelines.push(checkLoadedPipeline(await loadPipeline(source, fs), inputs));
  const diagnostics = sortDiagnostics(discovery.diagnostics.items);
  return {
    valid: !discovery.diagnostics.hasErrors && pipelines.every((p) => p.errors.length === 0),
    pipelines,
    diagnostics,
  };
}

/** Semantic and expression checks of a loaded pipeline. */
export function checkLoadedPipeline(
  loaded: LoadedPipeline,
  allInputs: ScopeInputs = {},
): PipelineValidation {
  // Validation is offline and its results may be shown: secrets always stay markers.
  const { secret: _secret, ...inputs } = allInputs;
  const bag = new DiagnosticBag();
  for (const d of loaded.diagnostics.items) bag.add(d);
  let model: PipelineModel | undefined;
  let resolvedStages = new Map<string, ResolvedStage>();
  if (loaded.definition !== undefined && loaded.positions !== undefined) {
    model = buildModel(
      {
        source: loaded.source,
        definition: loaded.definition,
        positions: loaded.positions,
        policies: loaded.policies,
        policyPositions: loaded.policyPositions,
      },
      bag,
    );
    checkExpressionPlaces(loaded.definition, loaded.positions, bag);
    resolvedStages = checkExpressions(model, inputs, bag);
  }
  const unique = dedupe(bag.items);
  const errors = sortDiagnostics(unique.filter((d) => d.severity === 'error'));
  const warnings = sortDiagnostics(unique.filter((d) => d.severity === 'warning'));
  return {
    source: loaded.source,
    model: errors.length === 0 ? model : undefined,
    errors,
    warnings,
    resolvedStages,
  };
}

/** Evaluates every expression of every stage and artifact once, to report errors offline. */
function checkExpressions(
  model: PipelineModel,
  inputs: ScopeInputs,
  bag: DiagnosticBag,
): Map<string, ResolvedStage> {
  const report = (d: Diagnostic) => bag.add(d);
  const resolvedStages = new Map<string, ResolvedStage>();
  for (const artifact of model.artifacts) {
    if (!artifact.perStage) resolveArtifact(model, artifact, undefined, undefined, inputs, report);
  }
  for (const stage of [...model.stages, ...model.ephemeral]) {
    const resolved = resolveStage(model, stage, inputs, report);
    resolvedStages.set(stage.name, resolved);
    for (const artifact of model.artifacts) {
      if (artifact.perStage) resolveArtifact(model, artifact, stage, resolved.vars, inputs, report);
    }
  }
  return resolvedStages;
}

/**
 * The same problem found in several stages (a shared step param or a stage_defaults var) is
 * reported once, at its one place, noting how many other stages hit it.
 */
function dedupe(items: readonly Diagnostic[]): Diagnostic[] {
  const groups = new Map<string, { first: Diagnostic; others: Set<string> }>();
  const out: Diagnostic[] = [];
  for (const d of items) {
    // Expression errors are evaluated per stage; other checks run once and differ by message only.
    const key = `${d.severity}|${d.code}|${d.file}|${d.line}|${d.column}${d.code.startsWith('EXPR_') ? '' : `|${d.message}`}`;
    const group = groups.get(key);
    if (group === undefined) {
      const copy = { ...d };
      groups.set(key, { first: copy, others: new Set() });
      out.push(copy);
    } else if (d.message !== group.first.message) group.others.add(d.message);
  }
  for (const { first, others } of groups.values()) {
    if (others.size > 0)
      first.message += ` (and in ${others.size} more stage${others.size === 1 ? '' : 's'})`;
  }
  return out;
}
