import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACT_TYPES, ARTIFACT_TYPE_IDS } from './artifact-types.js';
import { STEP_TYPES, stepTypeDefinition } from './catalog.js';
import { PLANNED_STEP_TYPES } from './planned.js';
import { PLANNED_STEP_TYPE_IDS, STEP_TYPE_IDS } from './step-type-ids.js';

interface JsonSchemaObject {
  type?: string;
  properties?: Record<string, { description?: string }>;
  additionalProperties?: unknown;
}

const definitions = [
  ...STEP_TYPE_IDS.map((id) => ({
    id,
    params: STEP_TYPES[id].params,
    description: STEP_TYPES[id].description,
  })),
  ...ARTIFACT_TYPE_IDS.map((id) => ({
    id,
    params: ARTIFACT_TYPES[id].params,
    description: ARTIFACT_TYPES[id].description,
  })),
];

describe('step type catalog', () => {
  it('has one definition per id, filed under its own id', () => {
    expect(Object.keys(STEP_TYPES).sort()).toEqual([...STEP_TYPE_IDS].sort());
    for (const id of STEP_TYPE_IDS) expect(stepTypeDefinition(id).id).toBe(id);
    expect(Object.keys(PLANNED_STEP_TYPES).sort()).toEqual([...PLANNED_STEP_TYPE_IDS].sort());
  });

  it('lists the outputs of FORMAT.md', () => {
    expect(STEP_TYPES['RAMPART:ECS:DEPLOY'].outputs).toEqual([
      'task_definition_arn',
      'previous_task_definition_arn',
      'service_arn',
    ]);
    expect(STEP_TYPES['RAMPART:ECS:RUN_TASK'].outputs).toEqual(['task_arn', 'exit_code']);
    expect(STEP_TYPES['RAMPART:LAMBDA:DEPLOY'].outputs).toEqual([
      'function_arn',
      'version',
      'previous_version',
    ]);
    expect(STEP_TYPES['RAMPART:LAMBDA:INVOKE'].outputs).toEqual(['status_code', 'response']);
    expect(STEP_TYPES['RAMPART:S3:UPLOAD'].outputs).toEqual(['uploaded', 'deleted']);
    expect(STEP_TYPES['RAMPART:CLOUDFRONT:INVALIDATE'].outputs).toEqual(['invalidation_id']);
    expect(STEP_TYPES['RAMPART:APPROVAL:BAKE'].outputs).toEqual([]);
    expect(STEP_TYPES['RAMPART:APPROVAL:MANUAL'].outputs).toEqual(['approved_by']);
    expect(STEP_TYPES['RAMPART:APPROVAL:TEST'].outputs).toEqual(['passed', 'failed']);
    for (const id of [
      'RAMPART:TERRAFORM:SYNTHESIZE',
      'RAMPART:SCRIPT:RUN',
      'RAMPART:CLOUDFORMATION:DEPLOY',
    ] as const) {
      expect(STEP_TYPES[id].outputs).toBe('any');
    }
  });

  it('records the rollback behavior of FORMAT.md', () => {
    const modes = Object.fromEntries(STEP_TYPE_IDS.map((id) => [id, STEP_TYPES[id].rollback.mode]));
    expect(modes).toEqual({
      'RAMPART:TERRAFORM:SYNTHESIZE': 'skip',
      'RAMPART:ECS:DEPLOY': 'redeploy',
      'RAMPART:ECS:RUN_TASK': 'none',
      'RAMPART:LAMBDA:DEPLOY': 'redeploy',
      'RAMPART:LAMBDA:INVOKE': 'none',
      'RAMPART:CLOUDFORMATION:DEPLOY': 'redeploy',
      'RAMPART:S3:UPLOAD': 'redeploy',
      'RAMPART:CLOUDFRONT:INVALIDATE': 'none',
      'RAMPART:APPROVAL:BAKE': 'none',
      'RAMPART:APPROVAL:MANUAL': 'none',
      'RAMPART:APPROVAL:TEST': 'none',
      'RAMPART:SCRIPT:RUN': 'none',
    });
    expect(STEP_TYPES['RAMPART:TERRAFORM:SYNTHESIZE'].rollback.description).toBe(
      'skipped during rollback',
    );
  });
});

describe.each(definitions)('$id params schema', ({ params, description }) => {
  it('has a one-line description', () => {
    expect(description).toMatch(/^\S.*\.$/);
    expect(description).not.toContain('\n');
  });

  it('converts to a closed JSON Schema with a description on every param', () => {
    const schema = z.toJSONSchema(params, { io: 'input' }) as JsonSchemaObject;
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    const properties = Object.entries(schema.properties ?? {});
    expect(properties.length).toBeGreaterThan(0);
    for (const [name, property] of properties) {
      expect(property.description, name).toMatch(/\S/);
    }
  });

  it('rejects unknown keys', () => {
    const result = params.safeParse({ no_such_param: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
});
