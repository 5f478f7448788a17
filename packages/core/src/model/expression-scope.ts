/**
 * Builds the objects expressions read (stage, pipeline, organization, trigger, vars, steps) for one
 * place in one stage. What is not known yet becomes a Deferred whose marker the plan shows:
 * `[SECRET:X]`, `[STAGE_SECRET:X]`, `[OUTPUT:step/field]`, `[ARTIFACT:id/field]`, `[TRIGGER:sha]`.
 */
import type { ErrorCode } from '../errors/index.js';
import {
  ContextNode,
  Deferred,
  ExpressionFailure,
  type ContextValue,
  type ExpressionContext,
  type ExpressionFunction,
} from '../expressions/index.js';
import { bundleBucketName, imageRepositoryName } from '../naming/index.js';
import { canonicalStepType } from '../step-types/index.js';
import type { ArtifactModel, PipelineModel, StageModel, StepModel } from './pipeline-model.js';

/** Organization settings from the control plane's configuration. */
export interface OrganizationInfo {
  name: string;
  slug: string;
  cicd_account_id: string;
  cicd_account_region: string;
}

export interface TriggerInfo {
  sha: string;
  branch: string;
  tag: string;
  revision: number;
}

/** Values known in later phases; each missing one becomes a marker. */
export interface ScopeInputs {
  organization?: Partial<OrganizationInfo>;
  trigger?: Partial<TriggerInfo>;
  /** Values of a built artifact's copy: `where` is a stage name or 'cicd'. */
  artifactValue?: (artifact: ArtifactModel, where: string, field: string) => string | undefined;
  /** Outputs of finished steps of the stage. */
  stepOutputs?: (step: StepModel) => Readonly<Record<string, unknown>> | undefined;
  /** Secret values, only just before a step runs. */
  secret?: (scope: 'organization' | 'stage', name: string) => string | undefined;
}

/** What a place in the file may read. */
export interface ScopePlace {
  /** For messages: `step "Deploy"`, `vars of stage "prod"`. */
  description: string;
  stage: StageModel | undefined;
  /** The step whose params are evaluated: `steps.*` may read only its upstream steps. */
  step?: StepModel;
  /** Upstream steps of `step` in this stage (skipped ones excluded). */
  upstream?: ReadonlySet<number>;
  /** Resolved vars of the stage, when `vars` may be read here. */
  vars?: Readonly<Record<string, unknown>>;
  /** Whether `stage.artifacts` may be read (not inside artifacts). */
  artifacts: boolean;
}

const ARTIFACT_FIELDS: Record<'image' | 'bundle', readonly string[]> = {
  image: ['image_url', 'image_tag', 'image_digest'],
  bundle: ['s3_url', 's3_bucket', 's3_key'],
};

const SECRET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,127}$/;

/** The expression context for one place. */
export function buildScope(
  model: PipelineModel,
  place: ScopePlace,
  inputs: ScopeInputs = {},
  shared?: Map<string, ContextValue | undefined>,
): ExpressionContext {
  const notAllowed = (what: string, why: string, hint: string) =>
    new ExpressionFailure(
      'EXPR_NOT_ALLOWED',
      `${what} cannot be read in ${place.description}: ${why}`,
      { hint },
    );
  // Root objects are built on first use; `shared` lets the steps of one stage reuse them.
  const make = (key: string): ContextValue | undefined => {
    switch (key) {
      case 'pipeline':
        return pipelineNode(model, place, inputs);
      case 'organization':
        return organizationNode(inputs);
      case 'trigger':
        return triggerNode(inputs);
      case 'stage':
        return place.stage === undefined ? undefined : stageNode(model, place.stage, place, inputs);
      case 'vars':
        return place.vars === undefined ? undefined : varsNode(place.vars, place.stage);
      default:
        return undefined;
    }
  };
  const cache = shared ?? new Map<string, ContextValue | undefined>();
  let steps: ContextValue | undefined;
  const rootValue = (key: string): ContextValue | undefined => {
    if (key === 'steps') {
      if (place.step === undefined || place.stage === undefined) return undefined;
      return (steps ??= stepsNode(
        model,
        place.step,
        place.stage,
        place.upstream ?? new Set(),
        inputs,
      ));
    }
    if (!cache.has(key)) cache.set(key, make(key));
    return cache.get(key);
  };
  const roots = { get: rootValue, has: (key: string) => rootValue(key) !== undefined };
  const allRoots = ['stage', 'pipeline', 'organization', 'trigger', 'vars', 'steps'];
  const root = new ContextNode({
    description: 'the expression context',
    entries: (key) => roots.get(key) ?? (allRoots.includes(key) ? null : undefined),
    knownKeys: () => allRoots,
    unknownKeyCode: 'EXPR_UNKNOWN_OBJECT',
    keyNoun: 'object',
    onAccess: (key) => {
      if (roots.has(key)) return undefined;
      switch (key) {
        case 'stage':
          return notAllowed(
            'stage',
            'it is built once for every stage',
            "Set `per_stage: true` on the artifact to build it once per stage with that stage's values.",
          );
        case 'vars':
          return place.stage === undefined
            ? notAllowed(
                'vars',
                'vars belong to a stage, and this is built once for every stage',
                'Set `per_stage: true` on the artifact, or write the value directly.',
              )
            : notAllowed(
                'vars',
                'a var cannot read other vars',
                'Write the value directly, or read stage/organization values instead.',
              );
        case 'steps':
          return notAllowed(
            'steps',
            'step outputs exist only for the params of later steps',
            'Read step outputs in the params of a step that goes after it.',
          );
        default:
          return undefined;
      }
    },
  });
  const functions = new Map<string, ExpressionFunction>([
    ['secret', secretFunction('organization', inputs)],
    [
      'stage_secret',
      place.stage === undefined
        ? stageSecretUnavailable(place.description)
        : secretFunction('stage', inputs),
    ],
  ]);
  return { root, functions };
}

function secretFunction(scope: 'organization' | 'stage', inputs: ScopeInputs): ExpressionFunction {
  return {
    arity: 1,
    call: ([name]) => {
      if (typeof name !== 'string')
        return new ExpressionFailure(
          'EXPR_BAD_ARGUMENTS',
          `${scope === 'stage' ? 'stage_secret' : 'secret'}() takes the secret's name as a string`,
          { argument: 0, hint: 'Write secret("NAME") with the name in quotes.' },
        );
      if (!SECRET_NAME.test(name))
        return new ExpressionFailure('EXPR_BAD_ARGUMENTS', `"${name}" is not a valid secret name`, {
          argument: 0,
          hint: 'Secret names use letters, digits, _ . - and /, up to 128 characters.',
        });
      return secretValue(scope, name, inputs);
    },
  };
}

function stageSecretUnavailable(description: string): ExpressionFunction {
  return {
    arity: 1,
    call: () =>
      new ExpressionFailure(
        'EXPR_NOT_ALLOWED',
        `stage_secret() cannot be used in ${description}: it is built once for every stage`,
        {
          hint: 'Use secret("NAME") for an organization secret, or set `per_stage: true` on the artifact.',
        },
      ),
  };
}

function secretValue(
  scope: 'organization' | 'stage',
  name: string,
  inputs: ScopeInputs,
): ContextValue {
  return (
    inputs.secret?.(scope, name) ??
    new Deferred(scope === 'stage' ? `[STAGE_SECRET:${name}]` : `[SECRET:${name}]`)
  );
}

function secretsNode(scope: 'organization' | 'stage', inputs: ScopeInputs): ContextNode {
  return new ContextNode({
    description: scope === 'stage' ? 'stage.secrets' : 'organization.secrets',
    entries: (name) => (SECRET_NAME.test(name) ? secretValue(scope, name, inputs) : undefined),
    keyNoun: 'secret',
  });
}

function organizationNode(inputs: ScopeInputs): ContextNode {
  const org = inputs.organization ?? {};
  const fields = ['name', 'slug', 'cicd_account_id', 'cicd_account_region'] as const;
  const entries = new Map<string, ContextValue>(
    fields.map((f) => [f, org[f] ?? new Deferred(`[ORGANIZATION:${f}]`)]),
  );
  entries.set('secrets', secretsNode('organization', inputs));
  return new ContextNode({ description: 'organization', entries });
}

function triggerNode(inputs: ScopeInputs): ContextNode {
  const t = inputs.trigger ?? {};
  const fields = ['sha', 'branch', 'tag', 'revision'] as const;
  return new ContextNode({
    description: 'trigger',
    entries: new Map(fields.map((f) => [f, t[f] ?? new Deferred(`[TRIGGER:${f}]`)])),
  });
}

function pipelineNode(model: PipelineModel, place: ScopePlace, inputs: ScopeInputs): ContextNode {
  const entries = new Map<string, ContextValue>([
    ['name', model.slug],
    ['slug', model.slug],
  ]);
  entries.set(
    'pre_mirror_artifacts',
    place.artifacts ? artifactsNode(model, 'cicd', 'pipeline.pre_mirror_artifacts', inputs) : null,
  );
  return new ContextNode({
    description: 'pipeline',
    entries,
    onAccess: (key) =>
      key === 'pre_mirror_artifacts' && !place.artifacts ? artifactsNotAllowed(place) : undefined,
  });
}

function artifactsNotAllowed(place: ScopePlace): ExpressionFailure {
  return new ExpressionFailure(
    'EXPR_NOT_ALLOWED',
    `artifacts cannot be read in ${place.description}: artifacts are built before the steps that use them`,
    {
      hint: 'Read artifact values (image_url, s3_url, …) in step params, not in artifact params or envs.',
    },
  );
}

function stageNode(
  model: PipelineModel,
  stage: StageModel,
  place: ScopePlace,
  inputs: ScopeInputs,
): ContextNode {
  const entries = new Map<string, ContextValue>([
    ['name', stage.name],
    ['account_id', stage.accountId],
    ['region', stage.region],
    ['secrets', secretsNode('stage', inputs)],
  ]);
  entries.set(
    'artifacts',
    place.artifacts ? artifactsNode(model, stage, 'stage.artifacts', inputs) : null,
  );
  return new ContextNode({
    description: `stage "${stage.name}"`,
    entries,
    onAccess: (key) =>
      key === 'artifacts' && !place.artifacts ? artifactsNotAllowed(place) : undefined,
  });
}

function artifactsNode(
  model: PipelineModel,
  where: StageModel | 'cicd',
  description: string,
  inputs: ScopeInputs,
): ContextNode {
  const byRef = new Map<string, ArtifactModel>();
  for (const a of model.artifacts) {
    byRef.set(a.name, a);
    byRef.set(a.id, a);
  }
  return new ContextNode({
    description,
    entries: (ref) => {
      const artifact = byRef.get(ref);
      return artifact === undefined ? undefined : artifactNode(model, artifact, where, inputs);
    },
    knownKeys: () => model.artifacts.map((a) => a.name),
    unknownKeyCode: 'EXPR_UNKNOWN_ARTIFACT',
    keyNoun: 'artifact',
  });
}

function artifactNode(
  model: PipelineModel,
  artifact: ArtifactModel,
  where: StageModel | 'cicd',
  inputs: ScopeInputs,
): ContextNode {
  const fields =
    artifact.kind === undefined
      ? [...ARTIFACT_FIELDS.image, ...ARTIFACT_FIELDS.bundle]
      : ARTIFACT_FIELDS[artifact.kind];
  const whereName = where === 'cicd' ? 'cicd' : where.name;
  const value = (field: string): ContextValue => {
    const known = inputs.artifactValue?.(artifact, whereName, field);
    if (known !== undefined) return known;
    if (field === 's3_bucket') {
      const accountId = where === 'cicd' ? inputs.organization?.cicd_account_id : where.accountId;
      if (accountId !== undefined)
        return bundleBucketName({
          accountId,
          slug: model.slug,
          artifactId: artifact.id,
          ...(where === 'cicd' ? {} : { stage: where.name }),
        });
    }
    const prefix = where === 'cicd' ? 'PRE_MIRROR_ARTIFACT' : 'ARTIFACT';
    return new Deferred(`[${prefix}:${artifact.id}/${field}]`);
  };
  return new ContextNode({
    description: `artifact "${artifact.name}"`,
    entries: new Map(fields.map((f) => [f, value(f)])),
    knownKeys: () => fields,
    unknownKeyCode: 'EXPR_UNKNOWN_KEY',
    keyNoun: 'field',
  });
}

/** Exposed so planners can name the repository of an image copy. */
export function imageRepositoryFor(
  model: PipelineModel,
  artifact: ArtifactModel,
  stage?: StageModel,
): string {
  return imageRepositoryName({
    slug: model.slug,
    artifactId: artifact.id,
    ...(stage === undefined ? {} : { stage: stage.name }),
  });
}

function varsNode(
  vars: Readonly<Record<string, unknown>>,
  stage: StageModel | undefined,
): ContextNode {
  return new ContextNode({
    description: stage === undefined ? 'vars' : `stage "${stage.name}"`,
    entries: (key) =>
      Object.prototype.hasOwnProperty.call(vars, key) ? toContextValue(vars[key]) : undefined,
    knownKeys: () => Object.keys(vars),
    unknownKeyCode: 'EXPR_UNKNOWN_VAR',
    keyNoun: 'var',
  });
}

function toContextValue(value: unknown): ContextValue {
  if (value === undefined) return null;
  return value as ContextValue;
}

const stepIndexes = new WeakMap<PipelineModel, Map<string, StepModel>>();

/** Steps by name and by id, built once per model. */
function stepsByRef(model: PipelineModel): Map<string, StepModel> {
  let byRef = stepIndexes.get(model);
  if (byRef === undefined) {
    byRef = new Map<string, StepModel>();
    for (const s of model.steps) {
      byRef.set(s.key, s);
      byRef.set(s.name, s);
    }
    stepIndexes.set(model, byRef);
  }
  return byRef;
}

function stepsNode(
  model: PipelineModel,
  current: StepModel,
  stage: StageModel,
  upstream: ReadonlySet<number>,
  inputs: ScopeInputs,
): ContextNode {
  const byRef = stepsByRef(model);
  return new ContextNode({
    description: 'steps',
    entries: (ref) => {
      const step = byRef.get(ref);
      return step === undefined ? undefined : outputsNode(step, inputs);
    },
    knownKeys: () => model.steps.map((s) => s.key),
    unknownKeyCode: 'EXPR_UNKNOWN_STEP',
    keyNoun: 'step',
    onAccess: (ref) => {
      const step = byRef.get(ref);
      if (step === undefined) return undefined;
      if (stage.skipped.has(step.index)) {
        return new ExpressionFailure(
          'EXPR_STEP_NOT_UPSTREAM',
          `step "${current.name}" reads the outputs of step "${step.name}", which stage "${stage.name}" skips`,
          {
            hint: `Remove "${step.name}" from the skip list of stage "${stage.name}", or skip "${current.name}" too.`,
          },
        );
      }
      if (!upstream.has(step.index)) {
        const code: ErrorCode = 'EXPR_STEP_NOT_UPSTREAM';
        return new ExpressionFailure(
          code,
          step.index === current.index
            ? `step "${current.name}" reads its own outputs`
            : `step "${current.name}" reads the outputs of step "${step.name}", which does not run before it`,
          {
            hint: `Add "${step.key}" to the goes_after of "${current.name}" (directly or through a step in between).`,
          },
        );
      }
      return undefined;
    },
  });
}

function outputsNode(step: StepModel, inputs: ScopeInputs): ContextNode {
  const known = inputs.stepOutputs?.(step);
  const outputs = declaredOutputs(step);
  const value = (field: string): ContextValue =>
    known !== undefined && field in known
      ? toContextValue(known[field])
      : new Deferred(`[OUTPUT:${step.key}/${field}]`);
  return new ContextNode({
    description: `the outputs of step "${step.name}"`,
    entries: (field) => (outputs === 'any' || outputs.includes(field) ? value(field) : undefined),
    knownKeys: () => (outputs === 'any' ? [] : outputs),
    unknownKeyCode: 'EXPR_UNKNOWN_OUTPUT',
    keyNoun: 'output',
  });
}

/** The outputs a step declares, or 'any' when they are known only at run time. */
export function declaredOutputs(step: StepModel): readonly string[] | 'any' {
  if (step.type.kind !== 'builtin') return 'any';
  const resolved = canonicalStepType(step.rawType);
  return resolved.kind === 'known' ? resolved.definition.outputs : 'any';
}
