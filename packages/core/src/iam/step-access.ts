/** The statements of the steps a stage runs, from their params as resolved for that stage. */
import type { ResolvedStage } from '../model/resolve-stage.js';
import { canonicalStepType, stepIamStatements } from '../step-types/index.js';
import { withUniqueSids, type IamContext, type IamStatement } from '../step-types/iam-statement.js';

/**
 * Every statement the built-in steps of `resolved` ask for, in step order. Skipped steps are not
 * in `resolved.steps`, so they grant nothing; custom steps, scripts and gates ask for nothing
 * (they get what the other statements and the additional policies grant). A statement equal to an
 * earlier one (two ECS deploys both describing task definitions) is kept once; Sids are made
 * unique by numbering repeats.
 *
 * @throws RampartError `STEP_PARAMS_INVALID` when a step's resolved params no longer match its type.
 */
export function stepStatements(resolved: ResolvedStage, ctx: IamContext): IamStatement[] {
  const statements: IamStatement[] = [];
  const seen = new Set<string>();
  for (const { step, params } of resolved.steps) {
    if (step.type.kind !== 'builtin') continue;
    const type = canonicalStepType(step.rawType);
    if (type.kind !== 'known') continue;
    for (const statement of stepIamStatements(type.id, params, ctx)) {
      const { Sid: _sid, ...grant } = statement;
      const key = JSON.stringify(grant);
      if (seen.has(key)) continue;
      seen.add(key);
      statements.push(statement);
    }
  }
  return withUniqueSids(statements);
}
