/** What the catalog knows about one step type. */
import type { z } from 'zod';
import type { IamContext, IamStatement } from './iam-statement.js';
import type { StepTypeId } from './step-type-ids.js';

/**
 * What the engine does with a step when a stage rolls back to its last good revision:
 * `redeploy` runs the step again with the last good revision's params, restoring what it changed;
 * `skip` does not run it (Terraform: the rollback redeploys the application, not infrastructure);
 * `none` means the step leaves nothing to restore, so it is not run either.
 */
export type RollbackMode = 'none' | 'redeploy' | 'skip';

export interface StepRollback {
  mode: RollbackMode;
  /** One line for docs and plans, e.g. `service back to the last good task definition`. */
  description: string;
}

/** Output names of a step, or `any` when they come from the user's code (Terraform outputs, …). */
export type StepOutputs = readonly string[] | 'any';

export interface StepTypeDefinition<S extends z.ZodType = z.ZodType> {
  id: StepTypeId;
  /** One line for docs and the JSON Schema. */
  description: string;
  /** A strict object schema; every non-string field also accepts an expression string. */
  params: S;
  outputs: StepOutputs;
  rollback: StepRollback;
  /**
   * The statements the stage role needs to run this step (and roll it back). `params` have passed
   * `params` and may still hold expressions or markers as strings; resources are scoped to real
   * ARNs where the naming params are literal and to the narrowest wildcard otherwise.
   */
  iam(params: z.output<S>, ctx: IamContext): IamStatement[];
}

/** Declares a step type, keeping the params type of `iam` tied to the schema. */
export function defineStepType<S extends z.ZodType>(
  definition: StepTypeDefinition<S>,
): StepTypeDefinition<S> {
  return definition;
}
