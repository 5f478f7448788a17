/**
 * The one error shape of the API: `{ "error": { "code", "message", "hint"? } }`, with the HTTP
 * status each code answers with. Codes are stable; clients switch on `code`, never on `message`.
 */
import type { ErrorCode } from '@rampart/core';
import { z } from 'zod';

/** Why the engine refused an operation (answered with 409). Mirrors the engine's list. */
export const OPERATION_REJECTION_CODES = [
  'REASON_REQUIRED',
  'UNKNOWN_DEPLOYMENT',
  'UNKNOWN_STAGE',
  'UNKNOWN_STEP',
  'STEP_NOT_AWAITING_DECISION',
  'DEPLOYMENT_FINISHED',
  'ROLLBACK_IN_PROGRESS',
  'STAGE_NOT_FAILED',
  'NEWER_REVISION',
  'STAGE_BUSY',
  'REVISION_NOT_GOOD',
  'ALREADY_DEPLOYED',
  'NOTHING_TO_ROLL_FORWARD',
  'ALREADY_STOPPED',
  'NOT_STOPPED',
  'STAGE_NOT_WAITING',
] as const;
export type OperationRejectionCode = (typeof OPERATION_REJECTION_CODES)[number];

/** The engine refused a deployment's frozen plan (answered with 422). */
export const INVALID_PLAN = 'INVALID_PLAN';

/**
 * Every code an API error may carry: a Rampart error code (docs/errors.md), an operation
 * rejection, or `INVALID_PLAN`.
 */
export type ApiErrorCode = ErrorCode | OperationRejectionCode | typeof INVALID_PLAN;

/** The HTTP status of the codes the API answers with itself; any other code of a user error is 400, of a system error 500. */
export const API_ERROR_STATUS = {
  API_INVALID_REQUEST: 400,
  ALARM_EVENT_INVALID: 400,
  API_UNAUTHENTICATED: 401,
  API_FORBIDDEN: 403,
  API_NOT_FOUND: 404,
  PIPELINE_NOT_REGISTERED: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  API_TOKEN_NOT_FOUND: 404,
  SECRET_NOT_FOUND: 404,
  SECRET_VALUE_INVALID: 400,
  SECRET_MISSING: 422,
  SECRET_UNAVAILABLE: 502,
  STORE_PIPELINE_EXISTS: 409,
  STORE_TOKEN_NAME_TAKEN: 409,
  PIPELINE_INVALID: 422,
  SOURCE_REVISION_NOT_FOUND: 422,
  INVALID_PLAN: 422,
  SOURCE_UNAVAILABLE: 502,
  CONFIG_INVALID: 503,
} as const satisfies Partial<Record<ApiErrorCode, number>>;

/** One problem of a request that failed validation: where (`body.source.location`) and what. */
export const requestIssueSchema = z.object({
  /** `body.<path>`, `query.<name>` or `params.<name>`. */
  path: z.string(),
  message: z.string(),
});
export type RequestIssue = z.infer<typeof requestIssueSchema>;

/** A problem of a pipeline file at the commit a deployment asked for (as `rampart validate` reports it). */
export const diagnosticSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  /** Relative to the repository root. */
  file: z.string(),
  line: z.number(),
  column: z.number(),
  hint: z.string().optional(),
});
export type ApiDiagnostic = z.infer<typeof diagnosticSchema>;

export const apiErrorSchema = z.object({
  /** An {@link ApiErrorCode}; kept as text so a newer server's codes still parse. */
  code: z.string(),
  /** Names the value at fault. */
  message: z.string(),
  /** The command or edit that fixes it. */
  hint: z.string().optional(),
  /** `API_INVALID_REQUEST`: every problem of the request. */
  issues: z.array(requestIssueSchema).optional(),
  /** `PIPELINE_INVALID`: the pipeline's errors at that commit. */
  diagnostics: z.array(diagnosticSchema).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** The body of every error response. */
export const apiErrorBodySchema = z.object({ error: apiErrorSchema });
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
