/** Turns core's plan of a pipeline into the frozen, JSON-only plan a deployment carries. */
import {
  RampartError,
  canonicalStepType,
  type ArtifactPlan,
  type PipelineModel,
  type PipelinePlan,
  type RollbackMode,
  type StepPlan,
} from '@rampart/core';
import type { JsonValue } from '../ports/engine-store.js';
import type {
  ArtifactBuildSpec,
  ArtifactDestination,
  DeploymentPlan,
  DeploymentStepPlan,
  JsonObject,
  StageArtifactCopy,
} from './deployment-plan.js';

/**
 * The deployment plan of `plan`, which `planPipeline` made from `model` for one revision. Windows
 * come from the model (a plan shows only their description); rollback modes from the step catalog
 * (custom steps: `none`).
 *
 * @throws RampartError `INTERNAL` when the plan names a stage the model lacks or holds a value
 *   that is not JSON.
 */
export function freezePlan(model: PipelineModel, plan: PipelinePlan): DeploymentPlan {
  const targets = new Map([...model.stages, ...model.ephemeral].map((s) => [s.name, s]));
  const byId = new Map(plan.artifacts.map((a) => [a.id, a]));
  return {
    pipelineSlug: plan.slug,
    artifacts: plan.artifacts.flatMap((a) =>
      a.perStage || a.cicd === undefined
        ? []
        : [buildSpec(a, a.params, a.envs ?? {}, a.cicd, `artifact "${a.name}"`)],
    ),
    stages: plan.stages.map((stage) => {
      const target = targets.get(stage.name);
      if (target === undefined) {
        throw new RampartError(
          'INTERNAL',
          `the plan names stage "${stage.name}", the model does not`,
          {
            source: 'system',
          },
        );
      }
      const sources = new Map(plan.artifacts.map((a) => [a.id, a.cicd]));
      return {
        name: stage.name,
        accountId: stage.accountId,
        region: stage.region,
        role: stage.role,
        window: structuredClone(target.window),
        alarms: [...stage.alarms],
        vars: jsonObject(stage.vars, `stage "${stage.name}" vars`),
        steps: stage.steps.map((step) => freezeStep(step, stage.name)),
        artifacts: stage.artifacts.map((copy): StageArtifactCopy => {
          const frozen: StageArtifactCopy = { name: copy.name, id: copy.id, kind: copy.kind };
          if (copy.repository !== undefined) frozen.repository = copy.repository;
          if (copy.bucket !== undefined) frozen.bucket = copy.bucket;
          const source = sources.get(copy.id);
          if (source !== undefined) frozen.source = { ...source };
          const artifact = byId.get(copy.id);
          if (copy.build !== undefined && artifact !== undefined) {
            const destination: ArtifactDestination = {
              accountId: copy.accountId,
              region: copy.region,
            };
            if (copy.repository !== undefined) destination.repository = copy.repository;
            if (copy.bucket !== undefined) destination.bucket = copy.bucket;
            frozen.build = buildSpec(
              artifact,
              copy.build.params,
              copy.build.envs,
              destination,
              `stage "${stage.name}" artifact "${copy.name}"`,
            );
          }
          return frozen;
        }),
      };
    }),
  };
}

/** Build types whose params take an `env` map (the imports take none). */
const TYPES_WITH_ENV = new Set(['RAMPART:DOCKER:BUILD', 'RAMPART:BUNDLE:BUILD']);

function buildSpec(
  artifact: ArtifactPlan,
  params: Record<string, unknown>,
  envs: Record<string, unknown>,
  destination: ArtifactDestination,
  where: string,
): ArtifactBuildSpec {
  const frozen = jsonObject(params, `${where} params`);
  if (Object.keys(envs).length > 0 && TYPES_WITH_ENV.has(artifact.type)) {
    // `envs` is another spelling of `params.env`; what `params.env` says wins.
    const env = frozen['env'];
    const own = env !== null && typeof env === 'object' && !Array.isArray(env) ? env : {};
    frozen['env'] = { ...jsonObject(envs, `${where} envs`), ...own };
  }
  const spec: ArtifactBuildSpec = {
    name: artifact.name,
    id: artifact.id,
    type: artifact.type,
    kind: artifact.kind,
    params: frozen,
    destination: { ...destination },
  };
  if (artifact.architecture !== undefined) spec.architecture = artifact.architecture;
  if (artifact.rebuildWhenChanged !== undefined && artifact.rebuildWhenChanged.length > 0)
    spec.rebuildWhenChanged = [...artifact.rebuildWhenChanged];
  return spec;
}

function freezeStep(step: StepPlan, stage: string): DeploymentStepPlan {
  const frozen: DeploymentStepPlan = {
    name: step.name,
    key: step.id ?? step.name,
    type: step.type,
    dependsOn: [...step.dependsOn],
    skipped: step.skipped,
    params: jsonObject(step.params, `stage "${stage}" step "${step.name}" params`),
    rollback: rollbackMode(step.type),
  };
  if (step.level !== undefined) frozen.level = step.level;
  if (step.timeoutMinutes !== undefined) frozen.timeoutMinutes = step.timeoutMinutes;
  return frozen;
}

/** The catalog's rollback mode of a step type; custom and unknown types leave nothing to restore. */
export function rollbackMode(type: string): RollbackMode {
  const resolved = canonicalStepType(type);
  return resolved.kind === 'known' ? resolved.definition.rollback.mode : 'none';
}

function jsonObject(value: Record<string, unknown>, where: string): JsonObject {
  const json = toJson(value, where);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new RampartError('INTERNAL', `${where} is not an object`, { source: 'system' });
  }
  return json;
}

/** A JSON copy of `value`; keys holding `undefined` are dropped, anything else non-JSON throws. */
function toJson(value: unknown, where: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((v) => toJson(v, where));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v, where);
    return out;
  }
  throw new RampartError('INTERNAL', `${where} holds a value that is not JSON`, {
    source: 'system',
  });
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
