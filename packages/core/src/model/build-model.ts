/**
 * Semantic checks of a schema-valid definition, producing the PipelineModel. Reports every problem
 * (not just the first); expressions are checked separately by `checkExpressions`.
 */
import type { DiagnosticBag, SourceLocation } from '../errors/index.js';
import { AWS_REGIONS, isKnownRegion } from '../aws-facts/index.js';
import type { DataPath, PositionIndex } from '../loader/position-index.js';
import type { PipelineSource } from '../discovery/discover-pipelines.js';
import { artifactIdFromName } from '../naming/index.js';
import { issuesToDiagnostics } from '../schema/issues-to-diagnostics.js';
import type { PipelineFile, WindowObjectFields } from '../schema/pipeline-schema.js';
import type { AdditionalPolicy } from '../schema/policy-schema.js';
import { canonicalArtifactType, canonicalStepType } from '../step-types/index.js';
import { nearest } from '../text/nearest.js';
import {
  checkWindowObject,
  presetWindow,
  PRESET_WINDOW_NAMES,
  type TimeWindow,
} from '../windows/index.js';
import type { ArtifactModel, PipelineModel, StageModel, StepModel } from './pipeline-model.js';
import { findCycle } from './step-graph.js';

const STAGE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const STEP_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ACCOUNT_ID = /^\d{12}$/;
const SUPPORTED_VERSIONS = new Set(['1.0.0', '1.0', '1']);

export interface BuildInput {
  source: PipelineSource;
  definition: PipelineFile;
  positions: PositionIndex;
  policies: AdditionalPolicy[];
  policyPositions: PositionIndex | undefined;
}

/** Builds the model; problems go to `bag`. The model is usable for planning only when `bag` has no errors. */
export function buildModel(input: BuildInput, bag: DiagnosticBag): PipelineModel {
  const { definition, positions } = input;
  const p = definition.pipeline;
  const at = (path: DataPath) => positions.locate(path);
  const keyAt = (path: DataPath) => positions.locateKey(path);

  if (!SUPPORTED_VERSIONS.has(definition.version)) {
    bag.error(
      'VERSION_UNSUPPORTED',
      `version "${definition.version}" is not supported`,
      at(['version']),
      'Set `version: "1.0.0"`.',
    );
  }

  // Named windows first: stages refer to them.
  const namedWindows = new Map<string, TimeWindow>();
  for (const [name, raw] of Object.entries(p.deployment_time_windows ?? {})) {
    const path = ['pipeline', 'deployment_time_windows', name];
    if (presetWindow(name) !== undefined) {
      bag.error(
        'WINDOW_INVALID',
        `custom window "${name}" has the name of a preset`,
        keyAt(path),
        'Give the window another name.',
      );
      continue;
    }
    const w = checkWindow(raw, path, name, positions, bag);
    if (w !== undefined) namedWindows.set(name, w);
  }
  const definedWindowNames = Object.keys(p.deployment_time_windows ?? {});

  const resolveWindow = (
    ref: string | WindowObjectFields | undefined,
    path: DataPath,
  ): TimeWindow => {
    const none = presetWindow('NONE') as TimeWindow;
    if (ref === undefined) return none;
    if (typeof ref === 'string') {
      const preset = presetWindow(ref);
      if (preset !== undefined) return preset;
      const named = namedWindows.get(ref);
      if (named !== undefined) return named;
      if (definedWindowNames.includes(ref)) return none; // defined but invalid: already reported
      const names = [...new Set([...PRESET_WINDOW_NAMES, ...definedWindowNames])];
      const suggestion = nearest(ref, names);
      bag.error(
        'WINDOW_UNKNOWN',
        `unknown deployment time window "${ref}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
        at(path),
        `Use one of ${names.join(', ')}, or define "${ref}" under pipeline.deployment_time_windows.`,
      );
      return none;
    }
    return checkWindow(ref, path, 'inline', positions, bag) ?? none;
  };

  // Steps.
  const steps: StepModel[] = p.steps.map((s, index) => {
    const path = ['pipeline', 'steps', index];
    const resolved = canonicalStepType(s.type);
    let type: StepModel['type'] = { kind: 'invalid' };
    if (resolved.kind === 'known') {
      type = { kind: 'builtin', type: resolved.id };
      const parsed = resolved.definition.params.safeParse(s.params ?? {});
      if (!parsed.success) {
        for (const d of issuesToDiagnostics(parsed.error.issues, {
          schema: resolved.definition.params,
          data: s.params ?? {},
          basePath: [...path, 'params'],
          fileData: definition,
          positions,
        }))
          bag.add(d);
      }
    } else if (resolved.kind === 'custom') {
      type = { kind: 'custom', name: resolved.name };
    } else if (resolved.kind === 'planned') {
      bag.error(
        'STEP_TYPE_PLANNED',
        `step type ${s.type} is planned but not available yet`,
        at([...path, 'type']),
        'Use a SCRIPT:RUN step or a custom step (CUSTOM:<NAME>) for now.',
      );
    } else {
      bag.error(
        'STEP_TYPE_UNKNOWN',
        `unknown step type "${s.type}"${resolved.suggestion === undefined ? '' : `; did you mean "${resolved.suggestion}"?`}`,
        at([...path, 'type']),
        'Use RAMPART:<GROUP>:<NAME> from docs/format.md (DEVRAMPS: works too), or CUSTOM:<NAME> for a custom step.',
      );
    }
    if (s.id !== undefined && !STEP_ID.test(s.id)) {
      bag.error(
        'STEP_ID_INVALID',
        `step id "${s.id}" cannot be used in expressions`,
        at([...path, 'id']),
        'Use letters, digits, _ and -, starting with a letter, e.g. `id: infra`.',
      );
    }
    return {
      index,
      name: s.name,
      id: s.id,
      key: s.id ?? s.name,
      rawType: s.type,
      type,
      dependsOn: [],
      timeoutMinutes: s.timeout_minutes,
      params: s.params ?? {},
      path,
    };
  });

  // Names and ids share one namespace for goes_after, skip and steps.<key>.
  const stepByRef = new Map<string, number>();
  for (const step of steps) {
    for (const [ref, field] of [
      [step.name, 'name'],
      ...(step.id === undefined || step.id === step.name ? [] : [[step.id, 'id']]),
    ] as const) {
      const other = stepByRef.get(ref);
      if (other !== undefined && other !== step.index) {
        const first = steps[other];
        bag.error(
          'STEP_DUPLICATE',
          `step ${field} "${ref}" is already used by step "${first?.name ?? ''}" (line ${at(first?.path ?? []).line})`,
          at([...step.path, field]),
          'Give each step a unique name and id.',
        );
      } else stepByRef.set(ref, step.index);
    }
  }
  const refNames = [...stepByRef.keys()];
  const resolveStepRef = (ref: string, path: DataPath, what: string): number | undefined => {
    const index = stepByRef.get(ref);
    if (index !== undefined) return index;
    const suggestion = nearest(ref, refNames);
    bag.error(
      'STEP_REFERENCE_UNKNOWN',
      `${what} names unknown step "${ref}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
      at(path),
      `Use the name or id of a step in pipeline.steps (${refNames.slice(0, 8).join(', ')}${refNames.length > 8 ? ', …' : ''}).`,
    );
    return undefined;
  };

  p.steps.forEach((s, index) => {
    const step = steps[index];
    if (step === undefined) return;
    if (s.goes_after === undefined) {
      step.dependsOn = index > 0 ? [index - 1] : [];
      return;
    }
    const deps = new Set<number>();
    s.goes_after.forEach((ref, k) => {
      const path = [...step.path, 'goes_after', k];
      const target = resolveStepRef(ref, path, `step "${s.name}" goes_after`);
      if (target === undefined) return;
      if (target === index) {
        bag.error(
          'STEP_CYCLE',
          `step "${s.name}" goes after itself`,
          at(path),
          'Remove it from its own goes_after.',
        );
        return;
      }
      deps.add(target);
    });
    step.dependsOn = [...deps].sort((a, b) => a - b);
  });
  const cycle = findCycle(steps.map((s) => s.dependsOn));
  if (cycle !== undefined) {
    const names = cycle.map((i) => `"${steps[i]?.name ?? ''}"`);
    const first = steps[cycle[0] ?? 0];
    bag.error(
      'STEP_CYCLE',
      `steps wait for each other in a cycle: ${[...names].reverse().join(' → ')} → ${names[names.length - 1] ?? ''}`,
      at([...(first?.path ?? []), 'goes_after']),
      'Remove one of these goes_after entries; steps without goes_after wait for the step above them.',
    );
    for (const s of steps) s.dependsOn = []; // keep later passes safe
  }

  // Stages and ephemeral environments.
  const defaults = p.stage_defaults ?? {};
  const seenStages = new Map<string, SourceLocation>();
  const buildTarget = (
    kind: StageModel['kind'],
    name: string,
    index: number,
    raw: {
      account_id: string;
      region: string;
      deployment_time_window?: string | WindowObjectFields;
      vars?: Record<string, unknown>;
      skip?: string[];
      auto_rollback_alarm_name?: string;
      auto_rollback_alarm_names?: string[];
    },
    path: DataPath,
    namePath: DataPath,
  ): StageModel => {
    const label =
      kind === 'stage'
        ? `stage "${name}"`
        : `ephemeral environment "${name.replace(/^ephemeral-/, '')}"`;
    if (kind === 'stage' && !STAGE_NAME.test(name)) {
      bag.error(
        'STAGE_NAME_INVALID',
        `stage name "${name}" must be lowercase letters, digits and hyphens`,
        at(namePath),
        `Rename it, e.g. "${
          name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-+|-+$/g, '') || 'staging'
        }".`,
      );
    }
    const nameAt = kind === 'stage' ? at : keyAt;
    const seen = seenStages.get(name);
    if (seen !== undefined) {
      bag.error(
        'STAGE_DUPLICATE',
        `${label} uses the name "${name}" already used at line ${seen.line}`,
        nameAt(namePath),
        'Give each stage a unique name (an ephemeral environment <env> is the stage ephemeral-<env>).',
      );
    } else seenStages.set(name, nameAt(namePath));
    if (!ACCOUNT_ID.test(raw.account_id)) {
      const digits = raw.account_id.replace(/\D/g, '');
      bag.error(
        'ACCOUNT_ID_INVALID',
        `${label} uses account ${JSON.stringify(raw.account_id)}${/^\d+$/.test(raw.account_id) ? ` (${raw.account_id.length} digits)` : ''}: an AWS account id is 12 digits`,
        at([...path, 'account_id']),
        digits.length > 0 && digits.length < 12
          ? `Did you mean "${digits.padStart(12, '0')}"? Quote account ids in YAML.`
          : 'Write the 12-digit id in quotes: account_id: "123456789012".',
      );
    }
    if (!isKnownRegion(raw.region)) {
      const suggestion = suggestRegion(raw.region);
      bag.error(
        'REGION_UNKNOWN',
        `${label} uses unknown region "${raw.region}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
        at([...path, 'region']),
        'Use an AWS region code such as us-east-1 or eu-west-1.',
      );
    }
    // Ephemeral environments inherit stage_defaults' vars but not its window or alarms: a preview
    // for a pull request should not wait for production's working hours.
    const inherit = kind === 'stage';
    const windowRef =
      raw.deployment_time_window ?? (inherit ? defaults.deployment_time_window : undefined);
    const windowPath =
      raw.deployment_time_window !== undefined
        ? [...path, 'deployment_time_window']
        : ['pipeline', 'stage_defaults', 'deployment_time_window'];
    const vars: Record<string, unknown> = {};
    const varPaths: Record<string, DataPath> = {};
    for (const [k, v] of Object.entries(defaults.vars ?? {})) {
      define(vars, k, v);
      varPaths[k] = ['pipeline', 'stage_defaults', 'vars', k];
    }
    for (const [k, v] of Object.entries(raw.vars ?? {})) {
      define(vars, k, v);
      varPaths[k] = [...path, 'vars', k];
    }
    const alarms =
      alarmList(raw, path, bag, positions) ??
      (inherit ? alarmList(defaults, ['pipeline', 'stage_defaults'], bag, positions) : undefined) ??
      [];
    const skipped = new Set<number>();
    (raw.skip ?? []).forEach((ref, k) => {
      const target = resolveStepRef(ref, [...path, 'skip', k], `${label} skip`);
      if (target !== undefined) skipped.add(target);
    });
    if (steps.length > 0 && skipped.size === steps.length) {
      bag.warning(
        'STAGE_ALL_STEPS_SKIPPED',
        `${label} skips every step`,
        at([...path, 'skip']),
        'Remove the stage, or some of its skip entries.',
      );
    }
    return {
      kind,
      name,
      index,
      accountId: raw.account_id,
      region: raw.region,
      window: resolveWindow(windowRef, windowPath),
      alarms,
      vars,
      varPaths,
      skipped,
      path,
    };
  };

  const stages = p.stages.map((s, index) =>
    buildTarget(
      'stage',
      s.name,
      index,
      s,
      ['pipeline', 'stages', index],
      ['pipeline', 'stages', index, 'name'],
    ),
  );
  const ephemeral = Object.entries(p.ephemeral_environments ?? {}).map(([envName, env], k) => {
    const path = ['pipeline', 'ephemeral_environments', envName];
    checkEphemeral(env, path, positions, bag);
    if (!STAGE_NAME.test(envName)) {
      bag.error(
        'STAGE_NAME_INVALID',
        `ephemeral environment name "${envName}" must be lowercase letters, digits and hyphens`,
        keyAt(path),
        'Rename it; it becomes the stage ephemeral-<name>.',
      );
    }
    const model = buildTarget(
      'ephemeral',
      `ephemeral-${envName}`,
      stages.length + k,
      env,
      path,
      path,
    );
    model.ephemeral = { envName, slots: env.slots ?? 1, onRelease: env.on_release ?? 'none' };
    return model;
  });

  // Artifacts.
  const artifacts: ArtifactModel[] = [];
  const artifactIds = new Map<string, string>();
  for (const [name, a] of Object.entries(p.artifacts ?? {})) {
    const path = ['pipeline', 'artifacts', name];
    const id = a.id ?? artifactIdFromName(name);
    if (id === '' || !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(id)) {
      bag.error(
        'SCHEMA_INVALID_VALUE',
        `artifact "${name}" has no usable id ("${id}")`,
        a.id === undefined ? keyAt(path) : at([...path, 'id']),
        'Give it an `id:` of lowercase letters, digits and hyphens.',
      );
    }
    const clash = artifactIds.get(id);
    if (clash !== undefined)
      bag.error(
        'ARTIFACT_DUPLICATE',
        `artifacts "${clash}" and "${name}" both have the id "${id}"`,
        keyAt(path),
        'Give one of them an explicit, different `id:`.',
      );
    else artifactIds.set(id, name);
    const resolved = canonicalArtifactType(a.type);
    let type: string | undefined;
    let kind: ArtifactModel['kind'];
    if (resolved.kind === 'known') {
      type = resolved.id;
      kind = resolved.definition.kind;
      const parsed = resolved.definition.params.safeParse(a.params ?? {});
      if (!parsed.success) {
        for (const d of issuesToDiagnostics(parsed.error.issues, {
          schema: resolved.definition.params,
          data: a.params ?? {},
          basePath: [...path, 'params'],
          fileData: definition,
          positions,
        }))
          bag.add(d);
      }
    } else {
      bag.error(
        'STEP_TYPE_UNKNOWN',
        `unknown artifact type "${a.type}"${resolved.suggestion === undefined ? '' : `; did you mean "${resolved.suggestion}"?`}`,
        at([...path, 'type']),
        'Use DOCKER:BUILD, DOCKER:IMPORT, BUNDLE:BUILD or BUNDLE:IMPORT.',
      );
    }
    artifacts.push({
      name,
      id,
      rawType: a.type,
      type,
      kind,
      perStage: a.per_stage ?? false,
      params: a.params ?? {},
      envs: a.envs ?? {},
      architecture: a.architecture,
      rebuildWhenChanged: a.rebuild_when_changed ?? [],
      path,
    });
  }

  // Additional policies: Stages must name stages.
  const targetNames = [...stages, ...ephemeral].map((s) => s.name);
  for (const policy of input.policies) {
    policy.stages?.forEach((name, k) => {
      if (targetNames.includes(name)) return;
      const suggestion = nearest(name, targetNames);
      const loc = input.policyPositions?.locate([policy.index, 'Stages', k]) ?? {
        file: input.source.policyFile ?? input.source.file,
        line: 1,
        column: 1,
      };
      bag.error(
        'POLICY_INVALID',
        `additional policy #${policy.index + 1} names unknown stage "${name}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
        loc,
        `Use stage names of the pipeline: ${targetNames.join(', ')}.`,
      );
    });
  }

  return {
    slug: input.source.slug,
    folder: input.source.folder,
    file: input.source.file,
    version: definition.version,
    tracks: p.tracks ?? 'main',
    updatesRequireApproval: p.pipeline_updates_require_approval ?? 'NEVER',
    stages,
    ephemeral,
    steps,
    artifacts,
    notifications: p.notifications,
    policies: input.policies,
    definition,
    positions,
  };
}

function checkWindow(
  raw: WindowObjectFields,
  path: DataPath,
  name: string,
  positions: PositionIndex,
  bag: DiagnosticBag,
): TimeWindow | undefined {
  const result = checkWindowObject(raw);
  for (const problem of result.problems)
    bag.error(
      problem.code,
      problem.message,
      positions.locate([...path, ...problem.path]),
      problem.hint,
    );
  return result.window === undefined ? undefined : { ...result.window, name };
}

function alarmList(
  raw: { auto_rollback_alarm_name?: string; auto_rollback_alarm_names?: string[] },
  path: DataPath,
  bag: DiagnosticBag,
  positions: PositionIndex,
): string[] | undefined {
  if (raw.auto_rollback_alarm_name === undefined && raw.auto_rollback_alarm_names === undefined)
    return undefined;
  const list = [
    ...(raw.auto_rollback_alarm_name === undefined ? [] : [raw.auto_rollback_alarm_name]),
    ...(raw.auto_rollback_alarm_names ?? []),
  ];
  list.forEach((name, k) => {
    if (name.trim() === '' || name.length > 255) {
      const where =
        k === 0 && raw.auto_rollback_alarm_name !== undefined
          ? [...path, 'auto_rollback_alarm_name']
          : [
              ...path,
              'auto_rollback_alarm_names',
              k - (raw.auto_rollback_alarm_name === undefined ? 0 : 1),
            ];
      bag.error(
        'SCHEMA_INVALID_VALUE',
        `alarm name ${JSON.stringify(name)} is not a CloudWatch alarm name (1–255 characters)`,
        positions.locate(where),
        'Write the alarm name exactly as in CloudWatch.',
      );
    }
  });
  return [...new Set(list)];
}

function checkEphemeral(
  env: NonNullable<PipelineFile['pipeline']['ephemeral_environments']>[string],
  path: DataPath,
  positions: PositionIndex,
  bag: DiagnosticBag,
): void {
  env.triggers.forEach((t, k) => {
    const at = [...path, 'triggers', k];
    if (
      t.on === 'pull_request' &&
      (t.target_branches === undefined || t.target_branches.length === 0)
    ) {
      bag.error(
        'EPHEMERAL_INVALID',
        'a pull_request trigger needs target_branches',
        positions.locate(at),
        'Add `target_branches: ["feat-*"]` (globs of the branches whose pull requests claim the environment).',
      );
    }
    if (t.on !== 'pull_request' && t.target_branches !== undefined) {
      bag.error(
        'EPHEMERAL_INVALID',
        `target_branches applies to pull_request triggers only, not "${t.on}"`,
        positions.locateKey([...at, 'target_branches']),
        'Remove target_branches from this trigger.',
      );
    }
  });
  env.release.forEach((r, k) => {
    const at = [...path, 'release', k];
    if (r.on === 'timeout' && r.after_idle_hours === undefined) {
      bag.error(
        'EPHEMERAL_INVALID',
        'a timeout release needs after_idle_hours',
        positions.locate(at),
        'Add `after_idle_hours: 24`.',
      );
    }
    if (r.on !== 'timeout' && r.after_idle_hours !== undefined) {
      bag.error(
        'EPHEMERAL_INVALID',
        `after_idle_hours applies to timeout releases only, not "${r.on}"`,
        positions.locateKey([...at, 'after_idle_hours']),
        'Remove after_idle_hours, or use `on: timeout`.',
      );
    }
  });
  const kinds = (list: { on: string }[], what: string, field: string) => {
    const seen = new Set<string>();
    list.forEach((x, k) => {
      if (seen.has(x.on))
        bag.error(
          'EPHEMERAL_INVALID',
          `${what} "${x.on}" is listed twice`,
          positions.locate([...path, field, k]),
          'List each kind once.',
        );
      seen.add(x.on);
    });
  };
  kinds(env.triggers, 'trigger', 'triggers');
  kinds(env.release, 'release', 'release');
}

function suggestRegion(region: string): string | undefined {
  return nearest(region.toLowerCase().replace(/_/g, '-'), AWS_REGIONS);
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
