/**
 * The JSON Schema of pipeline files, for editors (`rampart schema`). Generated from the same zod
 * schemas that validate, with each step and artifact type's params attached, and the older shapes
 * accepted but marked deprecated.
 */
import { z } from 'zod';
import {
  ARTIFACT_TYPES,
  ARTIFACT_TYPE_IDS,
  STEP_TYPES,
  STEP_TYPE_IDS,
} from '../step-types/index.js';
import { pipelineFileSchema } from './pipeline-schema.js';

type Json = Record<string, unknown>;

const SCHEMA_ID = 'https://rampart.dev/schemas/pipeline-1.0.0.json';

/** Builds the schema (a fresh object each call). */
export function pipelineJsonSchema(): Json {
  const root = z.toJSONSchema(pipelineFileSchema, { unrepresentable: 'any', io: 'input' }) as Json;
  root.$id = SCHEMA_ID;
  root.title = 'Rampart pipeline file';
  const pipeline = prop(root, 'pipeline');
  const steps = prop(pipeline, 'steps');
  const stepItem = steps.items as Json;
  prop(stepItem, 'type').examples = [...STEP_TYPE_IDS, 'CUSTOM:MY_STEP'];
  stepItem.allOf = STEP_TYPE_IDS.map((id) => {
    const body = id.slice('RAMPART:'.length);
    return {
      if: { properties: { type: { enum: [id, `DEVRAMPS:${body}`] } }, required: ['type'] },
      then: {
        properties: {
          params: {
            ...paramsSchema(STEP_TYPES[id].params),
            description: STEP_TYPES[id].description,
          },
        },
      },
    };
  });
  const artifacts = prop(pipeline, 'artifacts');
  const artifact = artifacts.additionalProperties as Json;
  prop(artifact, 'type').examples = ARTIFACT_TYPE_IDS.map((id) => id.slice('RAMPART:'.length));
  artifact.allOf = ARTIFACT_TYPE_IDS.map((id) => {
    const body = id.slice('RAMPART:'.length);
    return {
      if: { properties: { type: { enum: [id, body, `DEVRAMPS:${body}`] } }, required: ['type'] },
      then: { properties: { params: paramsSchema(ARTIFACT_TYPES[id].params) } },
    };
  });
  addLegacyShapes(pipeline, artifact);
  return root;
}

function paramsSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Json;
  delete json.$schema;
  return json;
}

function prop(schema: Json, key: string): Json {
  const properties = schema.properties as Record<string, Json> | undefined;
  const value = properties?.[key];
  if (value === undefined) throw new Error(`JSON Schema has no property ${key}`);
  return value;
}

/** Older shapes: accepted by `rampart validate` with a warning, so editors must not flag them. */
function addLegacyShapes(pipeline: Json, artifact: Json): void {
  const props = pipeline.properties as Record<string, Json>;
  props.defaults = {
    deprecated: true,
    description: 'Deprecated: use stage_defaults and steps.',
    type: 'object',
    properties: { steps: props.steps },
  };
  pipeline.required = ['cloud_provider', 'stages'];
  const artifactsMap = props.artifacts;
  props.artifacts = {
    anyOf: [
      artifactsMap,
      {
        deprecated: true,
        description:
          'Deprecated: a list of artifacts with name; write a map from name to artifact.',
        type: 'array',
        items: {
          ...artifact,
          properties: { ...(artifact.properties as Json), name: { type: 'string' } },
          required: ['name', 'type'],
        },
      },
    ],
  };
  const stages = props.stages as Json;
  const stage = stages.items as Json;
  const stageProps = stage.properties as Record<string, Json>;
  stageProps.deployment_target = {
    deprecated: true,
    description: 'Deprecated: write account_id and region on the stage.',
    type: 'object',
    properties: { account_id: { type: 'string' }, region: { type: 'string' } },
    additionalProperties: false,
  };
  stageProps.infrastructure = {
    deprecated: true,
    description: 'Deprecated: the older name of vars.',
    type: 'object',
  };
  stage.required = ['name'];
}
