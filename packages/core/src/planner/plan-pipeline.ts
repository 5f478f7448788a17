/** Turns a checked PipelineModel into a PipelinePlan: per stage, what would run and with what. */
import { partitionOf } from '../aws-facts/index.js';
import type { Diagnostic } from '../errors/index.js';
import { planBuildPolicies, planStagePolicies } from '../iam/index.js';
import {
  declaredOutputs,
  imageRepositoryFor,
  type OrganizationInfo,
  type ScopeInputs,
} from '../model/expression-scope.js';
import type { PipelineModel, StageModel } from '../model/pipeline-model.js';
import { resolveArtifact, resolveStage, type ResolvedStage } from '../model/resolve-stage.js';
import { levels } from '../model/step-graph.js';
import { bundleBucketName, stageRoleName } from '../naming/index.js';
import { canonicalStepType, parseStepParams } from '../step-types/index.js';
import { describeWindow, windowStatus, type TimeWindow } from '../windows/index.js';
import type {
  ArtifactCopyPlan,
  ArtifactPlan,
  IamStatementPlan,
  PipelinePlan,
  StagePlan,
  StepPlan,
  WindowPlan,
} from './pipeline-plan.js';

export interface PlanOptions {
  /** Known values (organization from config, trigger, …); the rest shows as markers. */
  inputs?: ScopeInputs;
  /** Evaluate windows at this instant. */
  at?: Date;
  /** Plan only these stages (names); default all, in pipeline order. */
  stages?: readonly string[];
  /** Stages already resolved with the same inputs (from validation), to avoid doing it twice. */
  resolvedStages?: ReadonlyMap<string, ResolvedStage>;
  /** The control plane's `issuer_url`, for the stage roles' trust policies. @default a placeholder host */
  issuerUrl?: string;
}

const PLACEHOLDER: OrganizationInfo = {
  name: '[ORGANIZATION:name]',
  slug: '[ORGANIZATION:slug]',
  cicd_account_id: '[ORGANIZATION:cicd_account_id]',
  cicd_account_region: '[ORGANIZATION:cicd_account_region]',
};

/** Plans a model that validated without errors. Expression errors (none expected) go to `report`. */
export function planPipeline(
  model: PipelineModel,
  options: PlanOptions = {},
  report: (d: Diagnostic) => void = () => undefined,
): PipelinePlan {
  // Plans are shown and stored: secrets always stay markers, whatever the caller can resolve.
  const { secret: _secret, ...inputs } = options.inputs ?? {};
  const org = { ...PLACEHOLDER, ...definedOnly(inputs.organization ?? {}) };
  const artifacts: ArtifactPlan[] = model.artifacts.flatMap((a) => {
    if (a.kind === undefined || a.type === undefined) return [];
    const resolved = a.perStage
      ? undefined
      : resolveArtifact(model, a, undefined, undefined, inputs, report);
    const plan: ArtifactPlan = {
      name: a.name,
      id: a.id,
      type: a.type,
      kind: a.kind,
      perStage: a.perStage,
      params: resolved?.params ?? a.params,
      pending: resolved?.markers ?? [],
    };
    const envs = resolved?.envs ?? a.envs;
    if (Object.keys(envs).length > 0) plan.envs = envs;
    if (a.architecture !== undefined) plan.architecture = a.architecture;
    if (a.rebuildWhenChanged.length > 0) plan.rebuildWhenChanged = [...a.rebuildWhenChanged];
    if (!a.perStage) {
      plan.cicd = {
        accountId: org.cicd_account_id,
        region: org.cicd_account_region,
        ...(a.kind === 'image'
          ? { repository: imageRepositoryFor(model, a) }
          : {
              bucket:
                inputs.organization?.cicd_account_id === undefined
                  ? `${org.cicd_account_id}-${model.slug}-${a.id}`
                  : bundleBucketName({
                      accountId: org.cicd_account_id,
                      slug: model.slug,
                      artifactId: a.id,
                    }),
            }),
      };
    }
    return [plan];
  });
  const targets = [...model.stages, ...model.ephemeral].filter(
    (s) => options.stages === undefined || options.stages.includes(s.name),
  );
  const windows = new Map<string, WindowPlan>();
  const stages = targets.map((stage) =>
    planStage(
      model,
      stage,
      options.resolvedStages?.get(stage.name) ?? resolveStage(model, stage, inputs, report),
      inputs,
      options.at,
      windows,
      options.issuerUrl,
      report,
    ),
  );
  const plan: PipelinePlan = {
    slug: model.slug,
    file: model.file,
    tracks: model.tracks,
    updatesRequireApproval: model.updatesRequireApproval,
    organization: org,
    artifacts,
    stages,
  };
  if (options.at !== undefined) plan.at = options.at.toISOString();
  const build = planBuildPolicies({
    model,
    organization: inputs.organization,
    ...(options.issuerUrl === undefined ? {} : { issuerUrl: options.issuerUrl }),
  });
  if (build !== undefined) plan.build = build;
  return plan;
}

function planStage(
  model: PipelineModel,
  stage: StageModel,
  resolved: ResolvedStage,
  inputs: ScopeInputs,
  at: Date | undefined,
  windows: Map<string, WindowPlan>,
  issuerUrl: string | undefined,
  report: (d: Diagnostic) => void,
): StagePlan {
  const depthOf = new Map<number, number>();
  const grouped = levels(resolved.deps, (i) => !stage.skipped.has(i));
  grouped.forEach((level, depth) => level.forEach((i) => depthOf.set(i, depth)));
  const byIndex = new Map(resolved.steps.map((r) => [r.step.index, r]));
  const statements: IamStatementPlan[] = [];
  const steps: StepPlan[] = model.steps.map((step) => {
    const r = byIndex.get(step.index);
    const resolvedType = canonicalStepType(step.rawType);
    const type = resolvedType.kind === 'known' ? resolvedType.id : step.rawType;
    const outputs = declaredOutputs(step);
    const plan: StepPlan = {
      name: step.name,
      type,
      dependsOn: (r?.dependsOn ?? []).map((i) => model.steps[i]?.name ?? ''),
      skipped: r === undefined,
      params: r?.params ?? step.params,
      pending: r?.markers ?? [],
      outputs: outputs === 'any' ? 'any' : [...outputs],
      rollback:
        resolvedType.kind === 'known' ? resolvedType.definition.rollback.description : 'none',
    };
    if (step.id !== undefined) plan.id = step.id;
    const level = depthOf.get(step.index);
    if (level !== undefined) plan.level = level;
    if (step.timeoutMinutes !== undefined) plan.timeoutMinutes = step.timeoutMinutes;
    if (r !== undefined && resolvedType.kind === 'known') {
      const ctx = {
        partition: partitionOf(stage.region),
        accountId: stage.accountId,
        region: stage.region,
        pipelineSlug: model.slug,
        stageName: stage.name,
      };
      // Parse first so schema defaults apply, exactly as the stage role's policies see them.
      const parsed = parseStepParams(resolvedType.definition, r.params);
      for (const s of resolvedType.definition.iam(parsed.success ? parsed.data : r.params, ctx))
        statements.push(s);
    }
    return plan;
  });
  // Stages usually share a few windows; time-zone math is the costly part, so each window is evaluated once.
  const windowKey = JSON.stringify(stage.window);
  let window = windows.get(windowKey);
  if (window === undefined) {
    window = planWindow(stage.window, at);
    windows.set(windowKey, window);
  }
  const copies: ArtifactCopyPlan[] = model.artifacts.flatMap((a) => {
    if (a.kind === undefined) return [];
    const copy: ArtifactCopyPlan = {
      name: a.name,
      id: a.id,
      kind: a.kind,
      perStage: a.perStage,
      accountId: stage.accountId,
      region: stage.region,
    };
    if (a.kind === 'image') copy.repository = imageRepositoryFor(model, a, stage);
    else
      copy.bucket = bundleBucketName({
        accountId: stage.accountId,
        slug: model.slug,
        stage: stage.name,
        artifactId: a.id,
      });
    if (a.perStage) {
      // Built in this stage: its expressions read this stage's values and vars.
      const r = resolveArtifact(model, a, stage, resolved.vars, inputs, report);
      copy.build = { params: r.params, envs: r.envs, pending: r.markers };
    }
    return [copy];
  });
  const policies = planStagePolicies({
    model,
    stage,
    resolved,
    organization: inputs.organization,
    ...(issuerUrl === undefined ? {} : { issuerUrl }),
  });
  return {
    name: stage.name,
    kind: stage.kind,
    accountId: stage.accountId,
    region: stage.region,
    window: { ...window },
    alarms: stage.alarms,
    role: stageRoleName({
      ...(inputs.organization?.slug === undefined ? {} : { org: inputs.organization.slug }),
      slug: model.slug,
      stage: stage.name,
    }),
    vars: resolved.vars,
    levels: grouped.map((l) => l.map((i) => model.steps[i]?.name ?? '')),
    steps,
    skipped: model.steps.filter((s) => stage.skipped.has(s.index)).map((s) => s.name),
    artifacts: copies,
    iam: { actions: actionsOf(statements), statements },
    ...(policies === undefined ? {} : { policies }),
  };
}

/** Every action of `statements`, once each, sorted. */
function actionsOf(statements: readonly IamStatementPlan[]): string[] {
  const actions = new Set<string>();
  for (const s of statements) for (const a of s.Action) actions.add(a);
  return [...actions].sort();
}

function planWindow(w: TimeWindow, at: Date | undefined): WindowPlan {
  const window: WindowPlan = { name: w.name, description: describeWindow(w) };
  if (at !== undefined) {
    const status = windowStatus(w, at);
    window.open = status.open;
    if (status.reason !== undefined)
      window.reason =
        status.freeze?.reason === undefined
          ? status.reason
          : `${status.reason}: ${status.freeze.reason}`;
    if (status.opensAt !== undefined) window.opensAt = status.opensAt.toISOString();
    if (status.closesAt !== undefined) window.closesAt = status.closesAt.toISOString();
  }
  return window;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
