/** `rampart plan`: what each stage would do, resolved as far as known offline. */
import { resolve } from 'node:path';
import {
  nodeFileSystem,
  planPipeline,
  RampartError,
  validateRepository,
  type PipelinePlan,
} from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadConfig, organizationOf } from '../config-file.js';
import { choice, parseFlags } from '../parse-flags.js';
import { renderDiagnostic } from '../render/diagnostics.js';
import { renderPlan } from '../render/plan.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: rampart plan [PATH] [--pipeline SLUG] [--stage NAME] [--format text|json]
                    [--at ISO_TIME] [--config FILE]

Shows, for each stage in pipeline order: account, region, deployment window,
rollback alarms, step levels of the DAG, skipped steps, params with
expressions resolved (values known only later show as markers such as
[SECRET:X] or [OUTPUT:step/field]; secret values never appear), artifact
copies and the IAM actions the stage's steps need.

Options:
  --pipeline SLUG     Only this pipeline
  --stage NAME        Only this stage (repeatable)
  --format text|json  Output format (default text)
  --at ISO_TIME       Evaluate deployment windows at this instant
                      (e.g. 2026-12-01T17:30:00Z): open or closed, next opening
  --config FILE       Control-plane config for organization values
                      (default ./rampart.config.yaml or $RAMPART_CONFIG)
  -h, --help          Show this help

Exit codes: 0 planned, 1 invalid pipeline or unknown name, 2 usage error.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    'plan',
    argv,
    {
      pipeline: { type: 'string' },
      stage: { type: 'string', multiple: true },
      format: { type: 'string' },
      at: { type: 'string' },
      config: { type: 'string' },
    },
    1,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const format = choice('plan', 'format', values.format, ['text', 'json'] as const, 'text');
  let at: Date | undefined;
  if (typeof values.at === 'string') {
    at = new Date(values.at);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(values.at))
      throw new UsageError(
        `--at must be an ISO 8601 time such as 2026-12-01T17:30:00Z, not "${values.at}"`,
        'plan',
      );
  }
  const { config } = loadConfig(io, values.config as string | undefined);
  const organization = organizationOf(config);
  const path = resolve(io.cwd, positionals[0] ?? '.');
  const result = await validateRepository(path, nodeFileSystem, { organization });
  const slugFilter = values.pipeline as string | undefined;
  const selected = result.pipelines.filter(
    (p) => slugFilter === undefined || p.source.slug === slugFilter,
  );
  if (slugFilter !== undefined && selected.length === 0) {
    throw new RampartError('USAGE', `no pipeline "${slugFilter}" under ${path}`, {
      hint: `Pipelines found: ${result.pipelines.map((p) => p.source.slug).join(', ') || 'none'}.`,
    });
  }
  const failing = selected.filter((p) => p.errors.length > 0);
  if (failing.length > 0 || result.diagnostics.some((d) => d.severity === 'error')) {
    const sources = new Map<string, string[] | null>();
    let out = '';
    for (const d of [...result.diagnostics, ...failing.flatMap((p) => p.errors)])
      out += renderDiagnostic(d, { cwd: io.cwd }, sources);
    io.stderr(`${out}✖ cannot plan: fix the errors above (\`rampart validate\` lists them too)\n`);
    return EXIT.failed;
  }
  const stageFilter = values.stage as string[] | undefined;
  const plans: PipelinePlan[] = [];
  for (const p of selected) {
    if (p.model === undefined) continue;
    if (stageFilter !== undefined) {
      const names = [...p.model.stages, ...p.model.ephemeral].map((s) => s.name);
      const unknown = stageFilter.filter((s) => !names.includes(s));
      if (unknown.length > 0 && (slugFilter !== undefined || selected.length === 1)) {
        throw new RampartError(
          'USAGE',
          `pipeline "${p.source.slug}" has no stage ${unknown.map((s) => `"${s}"`).join(', ')}`,
          { hint: `Stages: ${names.join(', ')}.` },
        );
      }
    }
    plans.push(
      planPipeline(p.model, {
        inputs: { organization },
        resolvedStages: p.resolvedStages,
        ...(config.issuer_url === undefined ? {} : { issuerUrl: config.issuer_url }),
        ...(at === undefined ? {} : { at }),
        ...(stageFilter === undefined ? {} : { stages: stageFilter }),
      }),
    );
  }
  if (format === 'json') io.stdout(`${JSON.stringify({ pipelines: plans }, null, 2)}\n`);
  else io.stdout(plans.map((p) => renderPlan(p, io.cwd)).join('\n'));
  return EXIT.ok;
}
