/**
 * Rewrites older shapes of the pipeline format into the modern one, with a deprecation warning that
 * shows the modern form. Runs before the schema check, on plain data; never mutates its input.
 */
import type { DiagnosticBag } from '../errors/index.js';
import type { DataPath, PositionIndex } from '../loader/position-index.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface NormalizeResult {
  data: unknown;
}

/** Applies every legacy rewrite and reports each as a SCHEMA_DEPRECATED warning. */
export function normalizeLegacyShapes(
  input: unknown,
  positions: PositionIndex,
  bag: DiagnosticBag,
): NormalizeResult {
  if (!isObj(input) || !isObj(input.pipeline)) return { data: input };
  const pipeline: Obj = { ...input.pipeline };
  const data: Obj = { ...input, pipeline };
  const P = ['pipeline'];

  if ('defaults' in pipeline) rewriteDefaults(pipeline, positions, bag);
  if (Array.isArray(pipeline.artifacts)) rewriteArtifactList(pipeline, positions, bag);
  if (Array.isArray(pipeline.stages)) {
    pipeline.stages = pipeline.stages.map((stage, i) =>
      rewriteStage(stage, [...P, 'stages', i], positions, bag),
    );
  }
  if (isObj(pipeline.ephemeral_environments)) {
    const envs: Obj = {};
    for (const [name, env] of Object.entries(pipeline.ephemeral_environments)) {
      envs[name] = isObj(env)
        ? fixAccountId(env, [...P, 'ephemeral_environments', name], positions, bag)
        : env;
    }
    pipeline.ephemeral_environments = envs;
  }
  return { data };
}

function rewriteDefaults(pipeline: Obj, positions: PositionIndex, bag: DiagnosticBag): void {
  const at: DataPath = ['pipeline', 'defaults'];
  const defaults = pipeline.defaults;
  delete pipeline.defaults;
  if (!isObj(defaults)) {
    bag.error(
      'SCHEMA_INVALID_TYPE',
      'pipeline.defaults must be a map',
      positions.locate(at),
      'Write `stage_defaults:` and `steps:` under `pipeline:` instead.',
    );
    return;
  }
  const { steps, ...rest } = defaults;
  if (steps !== undefined) {
    if (pipeline.steps !== undefined) {
      bag.error(
        'SCHEMA_CONFLICTING_KEYS',
        'both pipeline.steps and pipeline.defaults.steps are set',
        positions.locateKey([...at, 'steps']),
        'Keep only pipeline.steps.',
      );
    } else {
      pipeline.steps = steps;
      positions.alias([...at, 'steps'], ['pipeline', 'steps']);
    }
  }
  if (Object.keys(rest).length > 0) {
    if (pipeline.stage_defaults !== undefined) {
      bag.error(
        'SCHEMA_CONFLICTING_KEYS',
        'both pipeline.stage_defaults and pipeline.defaults are set',
        positions.locateKey(at),
        'Move the keys of pipeline.defaults into pipeline.stage_defaults.',
      );
    } else {
      pipeline.stage_defaults = rest;
      positions.alias(at, ['pipeline', 'stage_defaults']);
    }
  }
  const modern = [
    steps !== undefined ? '`pipeline.steps: [...]`' : '',
    Object.keys(rest).length > 0
      ? `\`pipeline.stage_defaults: { ${Object.keys(rest).join(', ')} }\``
      : '',
  ]
    .filter((s) => s !== '')
    .join(' and ');
  bag.warning(
    'SCHEMA_DEPRECATED',
    '`pipeline.defaults` is an older shape of the format',
    positions.locateKey(at),
    `Write ${modern || '`pipeline.stage_defaults`'} instead.`,
  );
}

function rewriteArtifactList(pipeline: Obj, positions: PositionIndex, bag: DiagnosticBag): void {
  const list = pipeline.artifacts as unknown[];
  const map: Obj = {};
  list.forEach((item, i) => {
    const at: DataPath = ['pipeline', 'artifacts', i];
    if (!isObj(item) || typeof item.name !== 'string' || item.name === '') {
      bag.error(
        'SCHEMA_MISSING_KEY',
        `artifact #${i + 1} in the list form needs a "name"`,
        positions.locate(at),
        'Write artifacts as a map: `artifacts: { "Web image": { type: ..., params: ... } }`.',
      );
      return;
    }
    const { name, ...rest } = item;
    if (name in map) {
      bag.error(
        'ARTIFACT_DUPLICATE',
        `two artifacts are named "${name}"`,
        positions.locate([...at, 'name']),
        'Give each artifact a unique name.',
      );
      return;
    }
    Object.defineProperty(map, name, {
      value: rest,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    positions.alias(at, ['pipeline', 'artifacts', name]);
  });
  pipeline.artifacts = map;
  const first = Object.keys(map)[0] ?? 'Name';
  bag.warning(
    'SCHEMA_DEPRECATED',
    '`artifacts` as a list is an older shape of the format',
    positions.locateKey(['pipeline', 'artifacts']),
    `Write a map from name to artifact: \`artifacts: { ${JSON.stringify(first)}: { type: ..., params: ... } }\`.`,
  );
}

function rewriteStage(
  stage: unknown,
  at: DataPath,
  positions: PositionIndex,
  bag: DiagnosticBag,
): unknown {
  if (!isObj(stage)) return stage;
  const out: Obj = { ...stage };
  if ('deployment_target' in out) {
    const target = out.deployment_target;
    delete out.deployment_target;
    if (!isObj(target)) {
      bag.error(
        'SCHEMA_INVALID_TYPE',
        'deployment_target must be a map with account_id and region',
        positions.locate([...at, 'deployment_target']),
        'Write `account_id:` and `region:` directly on the stage.',
      );
    } else {
      for (const key of Object.keys(target)) {
        if (key !== 'account_id' && key !== 'region') {
          bag.error(
            'SCHEMA_UNKNOWN_KEY',
            `unknown key "${key}" in deployment_target`,
            positions.locateKey([...at, 'deployment_target', key]),
            'deployment_target holds only account_id and region.',
          );
          continue;
        }
        if (key in out) {
          bag.error(
            'SCHEMA_CONFLICTING_KEYS',
            `stage sets both ${key} and deployment_target.${key}`,
            positions.locateKey([...at, 'deployment_target', key]),
            `Keep only \`${key}:\` on the stage.`,
          );
          continue;
        }
        out[key] = target[key];
        positions.alias([...at, 'deployment_target', key], [...at, key]);
      }
      bag.warning(
        'SCHEMA_DEPRECATED',
        '`deployment_target` is an older shape of the format',
        positions.locateKey([...at, 'deployment_target']),
        `Write \`account_id: ${JSON.stringify(target.account_id ?? '')}\` and \`region: ${JSON.stringify(target.region ?? '')}\` directly on the stage.`,
      );
    }
  }
  if ('infrastructure' in out) {
    const infra = out.infrastructure;
    delete out.infrastructure;
    if (!isObj(infra)) {
      bag.error(
        'SCHEMA_INVALID_TYPE',
        'infrastructure must be a map',
        positions.locate([...at, 'infrastructure']),
        'Write the values under `vars:`.',
      );
    } else {
      const vars: Obj = isObj(out.vars) ? { ...out.vars } : {};
      for (const [k, v] of Object.entries(infra)) {
        if (k in vars) {
          bag.error(
            'SCHEMA_CONFLICTING_KEYS',
            `"${k}" is set in both vars and infrastructure`,
            positions.locateKey([...at, 'infrastructure', k]),
            'Keep it in `vars:` only.',
          );
          continue;
        }
        Object.defineProperty(vars, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        positions.alias([...at, 'infrastructure', k], [...at, 'vars', k]);
      }
      if (!positions.has([...at, 'vars']))
        positions.alias([...at, 'infrastructure'], [...at, 'vars']);
      out.vars = vars;
      bag.warning(
        'SCHEMA_DEPRECATED',
        "`infrastructure` is the older name of a stage's `vars`",
        positions.locateKey([...at, 'infrastructure']),
        'Rename `infrastructure:` to `vars:` (read them as ${{ vars.<key> }}).',
      );
    }
  }
  return fixAccountId(out, at, positions, bag);
}

/** An unquoted account id is a YAML number that may have lost leading zeros: report and keep the source text. */
function fixAccountId(obj: Obj, at: DataPath, positions: PositionIndex, bag: DiagnosticBag): Obj {
  const value = obj.account_id;
  if (typeof value !== 'number') return obj;
  const where = [...at, 'account_id'];
  const raw = positions.raw(where) ?? String(value);
  const digits = String(value);
  const name =
    typeof obj.name === 'string' ? `stage "${obj.name}"` : `"${at[at.length - 1] ?? ''}"`;
  let intended: string | undefined;
  if (/^\d{12}$/.test(raw)) intended = raw;
  else if (Number.isInteger(value) && value >= 0 && digits.length < 12)
    intended = digits.padStart(12, '0');
  else if (/^\d{12}$/.test(digits)) intended = digits;
  const lost = intended !== undefined && intended !== digits;
  const report = lost || intended === undefined ? bag.error.bind(bag) : bag.warning.bind(bag);
  report(
    'ACCOUNT_ID_UNQUOTED',
    lost
      ? `${name} uses account ${digits} (${digits.length} digits): YAML read the unquoted id as a number and dropped its leading zeros`
      : `${name} writes its account id as a YAML number (${raw}); an id with a leading zero would lose it`,
    positions.locate(where),
    intended !== undefined
      ? `Quote account ids in YAML: account_id: "${intended}".`
      : 'Quote account ids in YAML: account_id: "123456789012".',
  );
  return { ...obj, account_id: intended ?? digits };
}
