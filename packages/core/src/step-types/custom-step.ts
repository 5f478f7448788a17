/** Custom steps (`CUSTOM:<NAME>`): their params and outputs come from a step registry at run time. */
import type { IamStatement } from './iam-statement.js';
import type { StepOutputs, StepRollback } from './step-type-definition.js';

/** What the catalog can say about any custom step offline. */
export interface CustomStepFacts {
  outputs: StepOutputs;
  rollback: StepRollback;
  /** None by default: a custom step gets what aws_additional_iam_policies grant. */
  iam(): IamStatement[];
}

export const CUSTOM_STEP: CustomStepFacts = {
  outputs: 'any',
  rollback: { mode: 'none', description: 'not applicable' },
  iam: () => [],
};

/** `CUSTOM:` followed by a name of letters, digits, `_`, `.`, `:` and `-`. */
export const CUSTOM_STEP_TYPE_PATTERN = /^CUSTOM:([A-Za-z0-9][A-Za-z0-9_.:-]*)$/;
