/** `rampart validate [PATH ...] [--format text|json]`: check pipelines offline. */
import { basename, dirname, resolve } from 'node:path';
import {
  isRampartError,
  nodeFileSystem,
  validateRepository,
  type Diagnostic,
  type RepositoryValidation,
} from '@rampart/core';
import { EXIT, type CliIo } from '../cli-io.js';
import { choice, parseFlags } from '../parse-flags.js';
import { diagnosticJson, displayPath, renderDiagnostic } from '../render/diagnostics.js';
import { loadConfig, organizationOf } from '../config-file.js';

export const help = `Usage: rampart validate [PATH ...] [--format text|json] [--config FILE]

Checks pipeline files offline: YAML, schema, names, references, cycles,
windows and expressions. PATH is a repository root (default .) or a
pipeline.yaml file. Every problem is reported, with file:line:column.

Options:
  --format text|json  Output format (default text)
  --config FILE       Control-plane config (organization values); default
                      ./rampart.config.yaml or $RAMPART_CONFIG when present
  -h, --help          Show this help

Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error.
`;

interface PipelineReport {
  slug: string;
  file: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('validate', argv, {
    format: { type: 'string' },
    config: { type: 'string' },
  });
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const format = choice('validate', 'format', values.format, ['text', 'json'] as const, 'text');
  const config = loadConfig(io, values.config as string | undefined);
  const paths = positionals.length === 0 ? ['.'] : positionals;
  const reports: PipelineReport[] = [];
  for (const path of paths)
    reports.push(...(await validatePath(resolve(io.cwd, path), organizationOf(config.config))));
  const valid = reports.every((r) => r.errors.length === 0);
  if (format === 'json') {
    const json = {
      valid,
      pipelines: reports.map((r) => ({
        slug: r.slug,
        file: r.file,
        errors: r.errors.map(diagnosticJson),
        warnings: r.warnings.map(diagnosticJson),
      })),
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const sources = new Map<string, string[] | null>();
    let out = '';
    for (const r of reports)
      for (const d of [...r.errors, ...r.warnings].sort(
        (a, b) => a.line - b.line || a.column - b.column,
      ))
        out += renderDiagnostic(d, { cwd: io.cwd }, sources);
    const errors = reports.reduce((n, r) => n + r.errors.length, 0);
    const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const names = reports
      .filter((r) => r.slug !== '')
      .map((r) => `${r.slug} (${displayPath(r.file, io.cwd)})`);
    if (valid)
      out += `✔ ${plural(reports.length, 'pipeline')} valid${warnings > 0 ? ` with ${plural(warnings, 'warning')}` : ''}: ${names.join(', ')}\n`;
    else
      out += `✖ ${plural(errors, 'error')}${warnings > 0 ? ` and ${plural(warnings, 'warning')}` : ''} in ${plural(reports.filter((r) => r.errors.length > 0).length, 'pipeline')}\n`;
    if (valid) io.stdout(out);
    else io.stderr(out);
  }
  return valid ? EXIT.ok : EXIT.failed;
}

/** Validates one path; a path-level failure (missing, no pipelines) becomes a report of its own. */
async function validatePath(
  path: string,
  organization: ReturnType<typeof organizationOf>,
): Promise<PipelineReport[]> {
  let result: RepositoryValidation;
  try {
    result = await validateRepository(path, nodeFileSystem, { organization });
  } catch (error) {
    if (!isRampartError(error)) throw error;
    const d: Diagnostic = {
      code: error.code,
      severity: 'error',
      message: error.message,
      ...(error.location ?? { file: path, line: 1, column: 1 }),
    };
    if (error.hint !== undefined) d.hint = error.hint;
    return [{ slug: '', file: path, errors: [d], warnings: [] }];
  }
  const reports: PipelineReport[] = result.pipelines.map((p) => ({
    slug: p.source.slug,
    file: p.source.file,
    errors: [...p.errors],
    warnings: [...p.warnings],
  }));
  // Repository-level problems (a slug in two folders, a bad folder name) belong to the pipeline whose file they name.
  for (const d of result.diagnostics) {
    const slug = basename(dirname(d.file));
    const owner =
      reports.find((r) => r.file === d.file) ?? reports.find((r) => r.slug === slug) ?? reports[0];
    if (owner === undefined)
      reports.push({
        slug: '',
        file: d.file,
        errors: d.severity === 'error' ? [d] : [],
        warnings: d.severity === 'warning' ? [d] : [],
      });
    else (d.severity === 'error' ? owner.errors : owner.warnings).push(d);
  }
  return reports;
}
