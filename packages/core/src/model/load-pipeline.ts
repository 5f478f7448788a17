/** Reads one discovered pipeline: bytes → text → YAML → modern shape → schema-checked definition. */
import type { Diagnostic } from '../errors/index.js';
import { DiagnosticBag, isRampartError } from '../errors/index.js';
import type { PipelineSource } from '../discovery/discover-pipelines.js';
import { fileError } from '../discovery/discover-pipelines.js';
import type { FileSystem } from '../discovery/file-system.js';
import { decodeSource } from '../loader/decode-source.js';
import { MAX_FILE_BYTES } from '../loader/limits.js';
import { loadYaml } from '../loader/load-yaml.js';
import type { PositionIndex } from '../loader/position-index.js';
import { issuesToDiagnostics } from '../schema/issues-to-diagnostics.js';
import { normalizeLegacyShapes } from '../schema/normalize-legacy.js';
import { pipelineFileSchema, type PipelineFile } from '../schema/pipeline-schema.js';
import { loadPolicyText } from './load-policies.js';
import type { AdditionalPolicy } from '../schema/policy-schema.js';

/** A pipeline read from disk and checked against the schema (not yet semantically). */
export interface LoadedPipeline {
  source: PipelineSource;
  /** The modern-shape definition, or undefined when the file could not be read or parsed. */
  definition: PipelineFile | undefined;
  positions: PositionIndex | undefined;
  policies: AdditionalPolicy[];
  policyPositions: PositionIndex | undefined;
  diagnostics: DiagnosticBag;
}

/** Reads and schema-checks one pipeline; every problem becomes a diagnostic, nothing throws. */
export async function loadPipeline(
  source: PipelineSource,
  fs: FileSystem,
): Promise<LoadedPipeline> {
  const bag = new DiagnosticBag();
  const result: LoadedPipeline = {
    source,
    definition: undefined,
    positions: undefined,
    policies: [],
    policyPositions: undefined,
    diagnostics: bag,
  };
  const text = await readText(source.file, fs, bag);
  if (text !== undefined) {
    const parsed = parsePipelineText(text, source.file);
    for (const d of parsed.diagnostics) bag.add(d);
    result.definition = parsed.definition;
    result.positions = parsed.positions;
  }
  if (source.shadowedPolicyFile !== undefined) {
    bag.warning(
      'POLICY_INVALID',
      `${source.shadowedPolicyFile} is ignored because ${source.policyFile ?? 'a JSON policy file'} exists`,
      { file: source.shadowedPolicyFile, line: 1, column: 1 },
      'Keep one additional-policies file; the JSON one wins.',
    );
  }
  if (source.policyFile !== undefined) {
    const policyText = await readText(source.policyFile, fs, bag);
    if (policyText !== undefined) {
      const policies = loadPolicyText(policyText, source.policyFile);
      for (const d of policies.diagnostics) bag.add(d);
      result.policies = policies.policies;
      result.policyPositions = policies.positions;
    }
  }
  return result;
}

/** Parses pipeline text (already decoded) into a schema-checked definition. */
export function parsePipelineText(
  text: string,
  file: string,
): { definition: PipelineFile | undefined; positions: PositionIndex; diagnostics: Diagnostic[] } {
  const bag = new DiagnosticBag();
  const yaml = loadYaml(text, file);
  for (const d of yaml.diagnostics) bag.add(d);
  if (yaml.diagnostics.length > 0)
    return { definition: undefined, positions: yaml.positions, diagnostics: bag.items };
  if (yaml.data === null || yaml.data === undefined) {
    bag.error(
      'FILE_EMPTY',
      `${file} is empty`,
      { file, line: 1, column: 1 },
      'Write a pipeline (`rampart init` creates a starter), or delete the file.',
    );
    return { definition: undefined, positions: yaml.positions, diagnostics: bag.items };
  }
  if (typeof yaml.data !== 'object' || Array.isArray(yaml.data)) {
    bag.error(
      'YAML_NOT_A_MAPPING',
      `the top level of ${file} must be a map, not ${Array.isArray(yaml.data) ? 'a list' : 'a single value'}`,
      yaml.positions.locate([]),
      'Start the file with `version: "1.0.0"` and `pipeline:`.',
    );
    return { definition: undefined, positions: yaml.positions, diagnostics: bag.items };
  }
  const { data } = normalizeLegacyShapes(yaml.data, yaml.positions, bag);
  const parsed = pipelineFileSchema.safeParse(data);
  if (!parsed.success) {
    for (const d of issuesToDiagnostics(parsed.error.issues, {
      schema: pipelineFileSchema,
      data,
      basePath: [],
      fileData: data,
      positions: yaml.positions,
    }))
      bag.add(d);
    // Check the rest too, so one run reports everything: drop what the schema rejected (unknown
    // keys, optional values of the wrong shape) and try again. Errors are already reported, so the
    // pipeline stays invalid either way.
    return {
      definition: repairedDefinition(data, parsed.error.issues),
      positions: yaml.positions,
      diagnostics: bag.items,
    };
  }
  return { definition: parsed.data, positions: yaml.positions, diagnostics: bag.items };
}

async function readText(
  file: string,
  fs: FileSystem,
  bag: DiagnosticBag,
): Promise<string | undefined> {
  try {
    const bytes = await fs.readFile(file, MAX_FILE_BYTES);
    const size =
      bytes.byteLength > MAX_FILE_BYTES
        ? (await fs.stat(file).catch(() => undefined))?.size
        : undefined;
    return decodeSource(bytes, file, size);
  } catch (error) {
    const e = isRampartError(error) ? error : fileError(error, file);
    bag.error(e.code, e.message, e.location ?? { file, line: 1, column: 1 }, e.hint);
    return undefined;
  }
}

type SchemaIssue = { code: string; path: PropertyKey[]; keys?: string[] };

/** The definition with rejected keys removed, when that makes it schema-valid; else undefined. */
function repairedDefinition(
  data: unknown,
  first: readonly SchemaIssue[],
): PipelineFile | undefined {
  let current = data;
  let issues = first;
  for (let round = 0; round < 3; round++) {
    const next = withoutRejected(current, issues);
    if (next === undefined) return undefined;
    const parsed = pipelineFileSchema.safeParse(next);
    if (parsed.success) return parsed.data;
    current = next;
    issues = parsed.error.issues;
  }
  return undefined;
}

/** A copy of `data` without each key the issues point at; undefined when an issue cannot be removed so. */
function withoutRejected(data: unknown, issues: readonly SchemaIssue[]): unknown {
  const copy = structuredClone(data);
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const target = walk(copy, path);
      if (target === null || typeof target !== 'object') return undefined;
      for (const key of issue.keys ?? []) delete (target as Record<string, unknown>)[key];
      continue;
    }
    const last = path[path.length - 1];
    const parent = walk(copy, path.slice(0, -1));
    if (
      typeof last !== 'string' ||
      parent === null ||
      typeof parent !== 'object' ||
      Array.isArray(parent)
    )
      return undefined;
    if (!(last in parent)) return undefined; // a missing required key cannot be repaired
    delete (parent as Record<string, unknown>)[last];
  }
  return copy;
}

function walk(value: unknown, path: readonly PropertyKey[]): unknown {
  let target = value;
  for (const seg of path)
    target =
      target !== null && typeof target === 'object'
        ? (target as Record<PropertyKey, unknown>)[seg]
        : undefined;
  return target;
}
