/** Evaluates the expressions of one stage: its vars, then the params of each step it runs. */
import type { Diagnostic } from '../errors/index.js';
import { resolveDeep, type ContextValue, type ExpressionDiagnostic } from '../expressions/index.js';
import type { DataPath } from '../loader/position-index.js';
import { buildScope, type ScopeInputs } from './expression-scope.js';
import type { ArtifactModel, PipelineModel, StageModel, StepModel } from './pipeline-model.js';
import { upstreamSets, withoutNodes } from './step-graph.js';

export interface ResolvedStep {
  step: StepModel;
  params: Record<string, unknown>;
  markers: string[];
  /** Steps it waits for in this stage, skipped steps bridged over. */
  dependsOn: number[];
}

export interface ResolvedStage {
  stage: StageModel;
  vars: Record<string, unknown>;
  varMarkers: string[];
  steps: ResolvedStep[];
  /** Effective dependency lists of every step (skipped steps have none). */
  deps: number[][];
}

export type DiagnosticSink = (d: Diagnostic) => void;

/** Resolves vars and step params of `stage`, reporting expression errors with file positions. */
export function resolveStage(
  model: PipelineModel,
  stage: StageModel,
  inputs: ScopeInputs,
  report: DiagnosticSink,
): ResolvedStage {
  const label =
    stage.kind === 'stage'
      ? `stage "${stage.name}"`
      : `ephemeral environment "${stage.ephemeral?.envName ?? stage.name}"`;
  const vars: Record<string, unknown> = {};
  const varMarkers = new Set<string>();
  const varScope = buildScope(
    model,
    { description: `the vars of ${label}`, stage, artifacts: true },
    inputs,
  );
  for (const [key, value] of Object.entries(stage.vars)) {
    const path = stage.varPaths[key] ?? [...stage.path, 'vars', key];
    const result = resolveDeep(value, varScope, (sub, d) =>
      report(toDiagnostic(model, [...path, ...sub], valueAtPath(value, sub), d, label)),
    );
    Object.defineProperty(vars, key, {
      value: result.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    result.markers.forEach((m) => varMarkers.add(m));
  }
  const { deps, upstream } = stageGraph(model, stage.skipped);
  const steps: ResolvedStep[] = [];
  const shared = new Map<string, ContextValue | undefined>();
  for (const step of model.steps) {
    if (stage.skipped.has(step.index)) continue;
    const scope = buildScope(
      model,
      {
        description: `step "${step.name}"`,
        stage,
        step,
        upstream: upstream[step.index] ?? new Set(),
        vars,
        artifacts: true,
      },
      inputs,
      shared,
    );
    const result = resolveDeep(step.params, scope, (sub, d) =>
      report(
        toDiagnostic(
          model,
          [...step.path, 'params', ...sub],
          valueAtPath(step.params, sub),
          d,
          label,
        ),
      ),
    );
    steps.push({
      step,
      params: result.value as Record<string, unknown>,
      markers: result.markers,
      dependsOn: deps[step.index] ?? [],
    });
  }
  return { stage, vars, varMarkers: [...varMarkers], steps, deps };
}

const graphs = new WeakMap<
  PipelineModel,
  Map<string, { deps: number[][]; upstream: Set<number>[] }>
>();

/** The step graph of a stage with its skipped steps bridged; stages that skip the same steps share it. */
function stageGraph(
  model: PipelineModel,
  skipped: ReadonlySet<number>,
): { deps: number[][]; upstream: Set<number>[] } {
  let byKey = graphs.get(model);
  if (byKey === undefined) {
    byKey = new Map<string, { deps: number[][]; upstream: Set<number>[] }>();
    graphs.set(model, byKey);
  }
  const key = [...skipped].sort((a, b) => a - b).join(',');
  let graph = byKey.get(key);
  if (graph === undefined) {
    const deps = withoutNodes(
      model.steps.map((s) => s.dependsOn),
      skipped,
    );
    graph = { deps, upstream: upstreamSets(deps) };
    byKey.set(key, graph);
  }
  return graph;
}

export interface ResolvedArtifact {
  artifact: ArtifactModel;
  params: Record<string, unknown>;
  envs: Record<string, unknown>;
  markers: string[];
}

/** Resolves an artifact's params and envs: once for the pipeline, or for one stage when per_stage. */
export function resolveArtifact(
  model: PipelineModel,
  artifact: ArtifactModel,
  stage: StageModel | undefined,
  vars: Record<string, unknown> | undefined,
  inputs: ScopeInputs,
  report: DiagnosticSink,
): ResolvedArtifact {
  const label = stage === undefined ? '' : `stage "${stage.name}"`;
  const scope = buildScope(
    model,
    {
      description: `artifact "${artifact.name}"`,
      stage,
      ...(vars === undefined ? {} : { vars }),
      artifacts: false,
    },
    inputs,
  );
  const markers = new Set<string>();
  const run = (value: Record<string, unknown>, key: 'params' | 'envs') => {
    const r = resolveDeep(value, scope, (sub, d) =>
      report(
        toDiagnostic(model, [...artifact.path, key, ...sub], valueAtPath(value, sub), d, label),
      ),
    );
    r.markers.forEach((m) => markers.add(m));
    return r.value as Record<string, unknown>;
  };
  return {
    artifact,
    params: run(artifact.params, 'params'),
    envs: run(artifact.envs, 'envs'),
    markers: [...markers],
  };
}

function toDiagnostic(
  model: PipelineModel,
  path: DataPath,
  text: unknown,
  d: ExpressionDiagnostic,
  label: string,
): Diagnostic {
  const loc =
    typeof text === 'string'
      ? model.positions.locateInString(path, text, d.offset)
      : model.positions.locate(path);
  const stageSpecific = d.code === 'EXPR_UNKNOWN_VAR' || d.code === 'EXPR_STEP_NOT_UPSTREAM';
  const message =
    stageSpecific && label !== '' && !d.message.includes(label)
      ? `${d.message} (in ${label})`
      : d.message;
  const out: Diagnostic = { code: d.code, severity: 'error', message, ...loc };
  if (d.hint !== undefined) out.hint = d.hint;
  return out;
}

function valueAtPath(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
