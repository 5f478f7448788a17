/** The pipeline's `aws_additional_iam_policies` documents that apply to one stage. */
import type { AdditionalPolicy } from '../schema/policy-schema.js';
import type { PolicyDocument, PolicyDocumentStatement } from './policy-document.js';

/** A named document for the stage role. */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/**
 * The documents without `Stages`, and those whose `Stages` names `stageName`, each as its own
 * policy named `additional-<n>` after its 1-based position in the file, so a name always points at
 * the same document. `Stages` is dropped (IAM does not know it); actions are sorted and
 * de-duplicated; everything else stays as written.
 */
export function additionalPolicies(
  policies: readonly AdditionalPolicy[],
  stageName: string,
): NamedPolicy[] {
  return policies
    .filter((p) => p.stages === undefined || p.stages.includes(stageName))
    .map((p) => ({
      name: `additional-${p.index + 1}`,
      document: {
        Version: p.Version,
        Statement: p.Statement.map((s): PolicyDocumentStatement => {
          const grant = {
            Effect: s.Effect,
            Action: [...new Set(s.Action)].sort(),
            Resource: [...s.Resource],
          };
          const statement: PolicyDocumentStatement =
            s.Sid === undefined ? grant : { Sid: s.Sid, ...grant };
          if (s.Condition !== undefined) statement.Condition = s.Condition;
          return statement;
        }),
      },
    }));
}
