/** The IAM statements of one step, from params that have not been typed yet. */
import { RampartError } from '../errors/index.js';
import { STEP_TYPES } from './catalog.js';
import type { IamContext, IamStatement } from './iam-statement.js';
import type { StepTypeDefinition } from './step-type-definition.js';
import type { StepTypeId } from './step-type-ids.js';

/**
 * Checks `params` against the type's schema (applying defaults), then asks the type for its
 * statements.
 *
 * @throws RampartError `STEP_PARAMS_INVALID` when the params do not match; validation normally
 *   reports this earlier, with a file position.
 */
export function stepIamStatements(
  id: StepTypeId,
  params: unknown,
  ctx: IamContext,
): IamStatement[] {
  // Widened on purpose: the parse below is what ties these params to this definition.
  const definition: StepTypeDefinition = STEP_TYPES[id];
  const parsed = parseStepParams(definition, params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined || issue.path.length === 0 ? 'params' : `params.${issue.path.join('.')}`;
    throw new RampartError(
      'STEP_PARAMS_INVALID',
      `${id}: ${where}: ${issue?.message ?? 'invalid'}`,
      { hint: 'Run `rampart validate` to see every problem with its position.' },
    );
  }
  return definition.iam(parsed.data, ctx);
}

type ParamsParse = ReturnType<StepTypeDefinition['params']['safeParse']>;

const parsedParams = new WeakMap<object, { definition: StepTypeDefinition; result: ParamsParse }>();

/**
 * `definition.params.safeParse(params)`, remembered per params object: planning a stage asks for
 * the same step's statements more than once (the plan's action list and the role policies).
 */
export function parseStepParams(definition: StepTypeDefinition, params: unknown): ParamsParse {
  const input = params ?? {};
  if (typeof input !== 'object') return definition.params.safeParse(input);
  const cached = parsedParams.get(input);
  if (cached?.definition === definition) return cached.result;
  const result = definition.params.safeParse(input);
  parsedParams.set(input, { definition, result });
  return result;
}
