/**
 * Test helpers: pipeline YAML text and throw-away repositories on disk. Used only by tests; every
 * temporary folder is made under the OS temp dir and removed by `removeTempRepos`.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../errors/index.js';
import { nodeFileSystem } from '../discovery/node-file-system.js';
import type { ScopeInputs } from '../model/expression-scope.js';
import type { PipelineModel } from '../model/pipeline-model.js';
import { validateRepository, type PipelineValidation } from '../model/validate-pipeline.js';

/** The three lines every fixture from `pipelineYaml` starts with; the body begins on line 4. */
export const HEADER = 'version: "1.0.0"\npipeline:\n  cloud_provider: AWS\n';

/**
 * A pipeline file: the standard header, then `body` (the keys under `pipeline:`, written without
 * the two-space indent, which is added here).
 */
export function pipelineYaml(body: string): string {
  const lines = body
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  return HEADER + lines.map((l) => (l === '' ? '' : `  ${l}`)).join('\n') + '\n';
}

/** A valid pipeline with one stage `dev` and one script step `Hello`. */
export const MINIMAL_PIPELINE = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo hi
`);

const created: string[] = [];

/**
 * Creates a temporary repository holding `files` (relative path → text or bytes; a path ending in
 * `/` makes a folder). Returns its root.
 */
export function makeTempRepo(files: Readonly<Record<string, string | Uint8Array>>): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-test-'));
  created.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    if (rel.endsWith('/')) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** Removes every repository made by `makeTempRepo` (call from `afterAll`/`afterEach`). */
export function removeTempRepos(): void {
  for (const root of created.splice(0)) {
    // An unreadable file left by a permissions test must not stop the clean-up.
    try {
      chmodSync(root, 0o700);
    } catch {
      // ignore
    }
    rmSync(root, { recursive: true, force: true });
  }
}

/** Validates `text` as `.rampart/<slug>/pipeline.yaml` in a fresh temporary repository. */
export async function validateYaml(
  text: string | Uint8Array,
  options: {
    slug?: string;
    inputs?: ScopeInputs;
    extraFiles?: Record<string, string | Uint8Array>;
  } = {},
): Promise<PipelineValidation> {
  const slug = options.slug ?? 'app';
  const root = makeTempRepo({ [`.rampart/${slug}/pipeline.yaml`]: text, ...options.extraFiles });
  const result = await validateRepository(root, nodeFileSystem, options.inputs ?? {});
  const [only] = result.pipelines;
  if (only === undefined) throw new Error('no pipeline validated');
  return only;
}

/** Validates `text` and returns its model, failing the test with the errors when it has any. */
export async function modelOf(
  text: string,
  options: { slug?: string; inputs?: ScopeInputs } = {},
): Promise<PipelineModel> {
  const v = await validateYaml(text, options);
  if (v.model === undefined) throw new Error(`pipeline has errors:\n${describeAll(v.errors)}`);
  return v.model;
}

/** Compact form of diagnostics for assertions and failure messages: `CODE@line:col`. */
export function codesAt(list: readonly Diagnostic[]): string[] {
  return list.map((d) => `${d.code}@${d.line}:${d.column}`);
}

/** The codes of `list`, in order. */
export function codes(list: readonly Diagnostic[]): string[] {
  return list.map((d) => d.code);
}

/** One line per diagnostic, for failure output. */
export function describeAll(list: readonly Diagnostic[]): string {
  return list
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`)
    .join('\n');
}

/**
 * The 1-based line and column (UTF-16 units, like the loader) where the `nth` (1-based) occurrence
 * of `needle` starts in `text`, plus `shift` columns. Lets tests state an exact position by naming
 * the token it must point at.
 */
export function positionOf(
  text: string,
  needle: string,
  nth = 1,
  shift = 0,
): { line: number; column: number } {
  let at = -1;
  for (let k = 0; k < nth; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" occurs fewer than ${nth} times`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1 + shift;
  return { line, column };
}

/** Whether this process can read files whose mode is 000 (root can, so such tests are skipped). */
export function ignoresFilePermissions(): boolean {
  const root = mkdtempSync(join(tmpdir(), 'rampart-perm-'));
  const file = join(root, 'probe');
  try {
    writeFileSync(file, 'x');
    chmodSync(file, 0o000);
    readFileSync(file);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
