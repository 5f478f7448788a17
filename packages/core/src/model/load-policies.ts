/** Reads aws_additional_iam_policies.{json,yaml}: a list of IAM policy documents. */
import type { Diagnostic } from '../errors/index.js';
import { loadYaml } from '../loader/load-yaml.js';
import type { PositionIndex } from '../loader/position-index.js';
import { issuesToDiagnostics } from '../schema/issues-to-diagnostics.js';
import {
  policyFileSchema,
  type AdditionalPolicy,
  type PolicyStatement,
} from '../schema/policy-schema.js';

const ACTION = /^([a-z0-9-]+:[A-Za-z0-9*?]+|\*)$/;
const RESOURCE = /^(\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:.+)$/;

/** Parses the text of a policy file (JSON is YAML, so one parser serves both). */
export function loadPolicyText(
  text: string,
  file: string,
): { policies: AdditionalPolicy[]; positions: PositionIndex; diagnostics: Diagnostic[] } {
  const yaml = loadYaml(text, file);
  const diagnostics: Diagnostic[] = [...yaml.diagnostics];
  if (diagnostics.length > 0) return { policies: [], positions: yaml.positions, diagnostics };
  const parsed = policyFileSchema.safeParse(yaml.data);
  if (!parsed.success) {
    const converted = issuesToDiagnostics(parsed.error.issues, {
      schema: policyFileSchema,
      data: yaml.data,
      basePath: [],
      fileData: yaml.data,
      positions: yaml.positions,
    });
    for (const d of converted)
      diagnostics.push({
        ...d,
        code: d.code === 'SCHEMA_UNKNOWN_KEY' ? d.code : 'POLICY_INVALID',
        hint: d.hint ?? 'Write a list of IAM policy documents; see docs/format.md.',
      });
    return { policies: [], positions: yaml.positions, diagnostics };
  }
  const policies = parsed.data.map((doc, index): AdditionalPolicy => {
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    const normalized = statements.map((s, si): PolicyStatement => {
      const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
      const st: PolicyStatement = {
        Effect: s.Effect,
        Action: list(s.Action),
        Resource: list(s.Resource),
      };
      if (s.Sid !== undefined) st.Sid = s.Sid;
      if (s.Condition !== undefined) st.Condition = s.Condition;
      const at = Array.isArray(doc.Statement) ? [index, 'Statement', si] : [index, 'Statement'];
      st.Action.forEach((a, ai) => {
        if (!ACTION.test(a))
          diagnostics.push({
            code: 'POLICY_INVALID',
            severity: 'error',
            message: `"${a}" is not an IAM action`,
            ...yaml.positions.locate([...at, 'Action', ...(Array.isArray(s.Action) ? [ai] : [])]),
            hint: 'Write actions as service:Action, e.g. "s3:GetObject" or "dynamodb:*".',
          });
      });
      st.Resource.forEach((r, ri) => {
        if (!RESOURCE.test(r))
          diagnostics.push({
            code: 'POLICY_INVALID',
            severity: 'error',
            message: `"${r}" is not an ARN or *`,
            ...yaml.positions.locate([
              ...at,
              'Resource',
              ...(Array.isArray(s.Resource) ? [ri] : []),
            ]),
            hint: 'Write resources as ARNs (arn:aws:s3:::bucket/*) or "*".',
          });
      });
      return st;
    });
    const policy: AdditionalPolicy = {
      Version: doc.Version ?? '2012-10-17',
      Statement: normalized,
      index,
    };
    if (doc.Stages !== undefined) policy.stages = doc.Stages;
    return policy;
  });
  return { policies, positions: yaml.positions, diagnostics };
}
