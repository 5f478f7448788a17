// What a step registry says about itself when run with `{"job":"SYNTHESIZE-METADATA"}`: its step
// types, each with the JSON Schema of its params.
import { CUSTOM_STEP_TYPE_PATTERN } from '@rampart/core';
import type { JsonObject } from '@rampart/engine';
import { z } from 'zod';
import { compileParamsSchema, type JsonSchemaParams } from './json-schema-params.js';

/** One step type a registry provides. */
export interface CustomStepDefinition {
  /** `CUSTOM:<name>`: what pipelines write. */
  type: string;
  /** The name the program is given as `type`. */
  name: string;
  /** What the registry says the step does. @default none */
  description?: string;
  /** The JSON Schema as the registry gave it. */
  schema: JsonObject;
  params: JsonSchemaParams;
}

const metadataResult = z.looseObject({
  status: z.literal('SUCCESS'),
  metadata: z.looseObject({
    steps: z.array(
      z.looseObject({
        type: z.string(),
        description: z.string().optional(),
        paramsSchema: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
});

/** The registry's step types, or the first problem of its metadata. */
export type ParsedRegistryMetadata =
  { ok: true; steps: CustomStepDefinition[] } | { ok: false; problem: string };

/**
 * Checks a metadata result: `{"status":"SUCCESS","metadata":{"steps":[{"type","paramsSchema",
 * "description"?}]}}`. A type is written as `NAME` or `CUSTOM:NAME`; each schema must compile.
 */
export function parseRegistryMetadata(data: unknown): ParsedRegistryMetadata {
  if (typeof data === 'object' && data !== null && 'status' in data && data.status === 'FAILED') {
    const reason = 'error' in data && typeof data.error === 'string' ? data.error : 'no reason';
    return { ok: false, problem: `the metadata job reported FAILED: ${reason}` };
  }
  const parsed = metadataResult.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      problem: `the metadata result is malformed at ${issue?.path.join('.') || 'the top'} (${issue?.message ?? 'invalid'}); expected {"status":"SUCCESS","metadata":{"steps":[{"type":"NAME","paramsSchema":{…}}]}}`,
    };
  }
  const steps: CustomStepDefinition[] = [];
  const seen = new Set<string>();
  for (const [index, step] of parsed.data.metadata.steps.entries()) {
    const type = step.type.startsWith('CUSTOM:') ? step.type : `CUSTOM:${step.type}`;
    const match = CUSTOM_STEP_TYPE_PATTERN.exec(type);
    const name = match?.[1];
    if (name === undefined) {
      return {
        ok: false,
        problem: `steps[${index}].type ${JSON.stringify(step.type)} is not a step type name: use letters, digits, _, ., : and -, starting with a letter or digit`,
      };
    }
    if (seen.has(type)) {
      return { ok: false, problem: `steps[${index}].type ${type} is listed twice` };
    }
    seen.add(type);
    const compiled = compileParamsSchema(step.paramsSchema);
    if (!compiled.ok) {
      return { ok: false, problem: `steps[${index}] (${type}): ${compiled.problem}` };
    }
    steps.push({
      type,
      name,
      ...(step.description === undefined ? {} : { description: step.description }),
      schema: step.paramsSchema as JsonObject,
      params: compiled.schema,
    });
  }
  return { ok: true, steps };
}
