/** Shape of aws_additional_iam_policies.{json,yaml}: a list of IAM policy documents. */
import { z } from 'zod';

const stringOrList = z.union([z.string(), z.array(z.string()).min(1)]);

export const policyStatementSchema = z.strictObject({
  Sid: z
    .string()
    .regex(/^[A-Za-z0-9]*$/, 'Sid may hold only letters and digits')
    .optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: stringOrList.describe('service:Action, wildcards allowed'),
  Resource: stringOrList.describe('ARNs or *'),
  Condition: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.union([
          z.string(),
          z.number(),
          z.boolean(),
          z.array(z.union([z.string(), z.number(), z.boolean()])),
        ]),
      ),
    )
    .optional(),
});

export const policyDocumentSchema = z.strictObject({
  Version: z.enum(['2012-10-17', '2008-10-17']).optional(),
  Statement: z.union([policyStatementSchema, z.array(policyStatementSchema).min(1)]),
  Stages: z.array(z.string()).min(1).describe('(ext) Apply to these stages only').optional(),
});

export const policyFileSchema = z.array(policyDocumentSchema);

export type PolicyStatementInput = z.infer<typeof policyStatementSchema>;
export type PolicyDocumentInput = z.infer<typeof policyDocumentSchema>;

/** A statement in normalized form: lists everywhere. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** An additional policy document, normalized, with the stages it applies to (all when absent). */
export interface AdditionalPolicy {
  Version: string;
  Statement: PolicyStatement[];
  stages?: string[];
  /** Index of the document in the file. */
  index: number;
}
