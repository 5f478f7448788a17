/** Secrets: set and deleted by admins, listed by anyone who may read; values never come back. */
import { z } from 'zod';
import { isoTimeSchema } from './common.js';

/** What `secret("X")` and `stage_secret("X")` accept: letters, digits, `_ . - /`, up to 128. */
export const secretNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,127}$/,
    'must be 1-128 letters, digits, _ . - or /, not starting with . - or /',
  );

/** A stage name as pipelines write it: lowercase letters, digits and hyphens. */
export const secretStageSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62})$/, 'must be a stage name (lowercase letters, digits, -)');

export const secretScopeSchema = z.enum(['organization', 'stage']);
export type SecretScopeName = z.infer<typeof secretScopeSchema>;

/** How a value is kept: encrypted by Rampart (master key or KMS), or in Secrets Manager. */
export const secretStorageSchema = z.enum(['local', 'kms', 'secrets-manager']);
export type SecretStorageName = z.infer<typeof secretStorageSchema>;

/** The most bytes a value may have (Secrets Manager's limit too). */
export const SECRET_VALUE_MAX_BYTES = 65_536;

/** A secret as listed: never its value. */
export const secretInfoSchema = z.object({
  name: z.string(),
  scope: secretScopeSchema,
  /** Stage secrets: the stage name they apply to in every pipeline. */
  stage: z.string().optional(),
  version: z.number().int().positive(),
  description: z.string().optional(),
  storage: secretStorageSchema,
  createdAt: isoTimeSchema,
  createdBy: z.string(),
  updatedAt: isoTimeSchema,
  updatedBy: z.string(),
});
export type SecretInfo = z.infer<typeof secretInfoSchema>;

/**
 * `PUT /api/v1/secrets`: creates or replaces a secret. `managed: "rampart"` (default) encrypts
 * `value`; `managed: "user"` records the Secrets Manager secret `rampart/<scope>/<name>` of the
 * CI/CD account, which must exist, and takes no value.
 */
export const setSecretRequestSchema = z
  .strictObject({
    name: secretNameSchema,
    /** Absent: an organization secret. @default absent */
    stage: secretStageSchema.optional(),
    /** The value (service-managed only). */
    value: z.string().optional(),
    /** Kept when absent on an update. @default unchanged */
    description: z.string().max(500).optional(),
    /** @default 'rampart' */
    managed: z.enum(['rampart', 'user']).optional(),
  })
  .refine((r) => (r.managed === 'user') === (r.value === undefined), {
    message: 'send a value for a Rampart-managed secret, and none for a user-managed one',
    path: ['value'],
  });
export type SetSecretRequest = z.infer<typeof setSecretRequestSchema>;

export const setSecretResponseSchema = z.object({
  secret: secretInfoSchema,
  /** True when the secret did not exist before. */
  created: z.boolean(),
});
export type SetSecretResponse = z.infer<typeof setSecretResponseSchema>;

export const secretListResponseSchema = z.object({ secrets: z.array(secretInfoSchema) });
export type SecretListResponse = z.infer<typeof secretListResponseSchema>;

/** `DELETE /api/v1/secrets?name=X[&stage=S]`. */
export const secretQuerySchema = z.strictObject({
  name: secretNameSchema,
  stage: secretStageSchema.optional(),
});
export type SecretQuery = z.infer<typeof secretQuerySchema>;

export const deleteSecretResponseSchema = z.object({
  name: z.string(),
  stage: z.string().optional(),
  deleted: z.literal(true),
});
export type DeleteSecretResponse = z.infer<typeof deleteSecretResponseSchema>;
