/** Who may call what: API tokens and their roles. */
import { z } from 'zod';
import { isoTimeSchema } from './common.js';

/**
 * Roles, weakest first; each includes the ones before it. `viewer` reads, `deployer` also
 * releases and operates, `admin` also manages pipelines and tokens.
 */
export const API_ROLES = ['viewer', 'deployer', 'admin'] as const;
export const apiRoleSchema = z.enum(API_ROLES);
export type ApiRole = z.infer<typeof apiRoleSchema>;

/** Whether `role` may do what `required` may. */
export function roleAllows(role: ApiRole, required: ApiRole): boolean {
  return API_ROLES.indexOf(role) >= API_ROLES.indexOf(required);
}

/** An API token as listed: never its secret. */
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: apiRoleSchema,
  createdAt: isoTimeSchema,
  expiresAt: isoTimeSchema.optional(),
  lastUsedAt: isoTimeSchema.optional(),
  revokedAt: isoTimeSchema.optional(),
});
export type ApiTokenInfo = z.infer<typeof apiTokenSchema>;

/** `POST /api/v1/tokens`. */
export const createTokenRequestSchema = z.strictObject({
  /** Unique among live tokens; becomes the actor (`token:<name>`) of what the token does. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'must be 1-100 letters, digits, . _ @ or -'),
  role: apiRoleSchema,
  /** ISO time after which the token stops working. @default never */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenRequestSchema>;

/** The answer to `POST /api/v1/tokens`: the secret is shown this once. */
export const createTokenResponseSchema = z.object({ token: apiTokenSchema, secret: z.string() });
export type CreateTokenResponse = z.infer<typeof createTokenResponseSchema>;

export const tokenListResponseSchema = z.object({ tokens: z.array(apiTokenSchema) });
export type TokenListResponse = z.infer<typeof tokenListResponseSchema>;

export const revokeTokenResponseSchema = z.object({ id: z.string(), revoked: z.literal(true) });
export type RevokeTokenResponse = z.infer<typeof revokeTokenResponseSchema>;

/** `GET /api/v1/whoami`: the calling token. */
export const whoamiResponseSchema = z.object({
  name: z.string(),
  role: apiRoleSchema,
  /** What the token's actions are recorded as. */
  actor: z.string(),
});
export type WhoamiResponse = z.infer<typeof whoamiResponseSchema>;
