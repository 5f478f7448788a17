// The IAM actions of a step as core's catalog declares them, so that an executor and the stage
// role's generated policy can never disagree.
import { STEP_TYPES, type StepTypeDefinition, type StepTypeId } from '@rampart/core';

/**
 * The sorted, de-duplicated actions of core's statements for `id` with these params (the
 * statements' resources do not matter here).
 */
export function catalogActions(id: StepTypeId, params: unknown): string[] {
  // Widened on purpose: resolved params are a valid input of the catalog's own schema.
  const definition: StepTypeDefinition = STEP_TYPES[id];
  const statements = definition.iam(params, {
    partition: 'aws',
    accountId: '000000000000',
    region: 'us-east-1',
    pipelineSlug: 'pipeline',
    stageName: 'stage',
  });
  return [...new Set(statements.flatMap((s) => s.Action))].sort();
}
