/** Small shapes every part of the API shares: names, times, attributions, JSON values. */
import { z } from 'zod';

/** A pipeline slug: its folder name (lowercase letters, digits and hyphens). */
export const pipelineSlugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    'must be lowercase letters, digits and hyphens, not starting or ending with a hyphen',
  )
  .max(128);

/** An ISO 8601 UTC time as the server writes it (`2026-03-01T10:00:00.000Z`). */
export const isoTimeSchema = z.string();

/** Who did something and why: every manual operation carries one. */
export const attributionSchema = z.object({
  /** `token:<name>` for API callers, `system`, `alarm:<name>`. */
  actor: z.string(),
  reason: z.string(),
  at: isoTimeSchema,
});
export type Attribution = z.infer<typeof attributionSchema>;

/** Any JSON value. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/** A JSON object (step params and outputs). */
export const jsonObjectSchema = z.record(z.string(), jsonValueSchema);
export type JsonObject = z.infer<typeof jsonObjectSchema>;

/** A positive whole number given as a path or query parameter (`/deployments/3`, `?limit=20`). */
export const positiveIntParamSchema = z.coerce.number().int().positive();

/** A non-negative whole number given as a query parameter (`?after=0`). */
export const sequenceParamSchema = z.coerce.number().int().min(0);

/** A stage, step or token id given as a path parameter. */
export const nameParamSchema = z.string().min(1).max(255);
