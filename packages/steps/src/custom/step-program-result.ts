// The one JSON result a step program writes to its `--output` file, parsed and checked: what the
// program says happened, before it is turned into an engine outcome.
import type { JsonObject, JsonValue } from '@rampart/engine';
import { z } from 'zod';

/** Used when a TRIGGERED result names no `retryAfterMs`. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;
/** The longest wait a result may ask for: a day. Longer waits are almost always a unit mistake. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** The largest result file read. */
export const MAX_RESULT_BYTES = 1024 * 1024;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);
const jsonObject = z.record(z.string(), jsonValue);
const retryAfterMs = z.number().int().min(0).max(MAX_RETRY_AFTER_MS);

const STATUSES = new Set(['SUCCESS', 'FAILED', 'APPROVAL_REQUIRED', 'TRIGGERED', 'POLL_AGAIN']);

const resultSchema = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('SUCCESS'), outputs: jsonObject.optional() }),
  z.looseObject({
    status: z.literal('FAILED'),
    error: z.string().optional(),
    message: z.string().optional(),
  }),
  z.looseObject({
    status: z.literal('APPROVAL_REQUIRED'),
    approvalContext: jsonValue.optional(),
    message: z.string().optional(),
  }),
  z.looseObject({
    status: z.literal('TRIGGERED'),
    pollingState: jsonValue.optional(),
    retryAfterMs: retryAfterMs.optional(),
  }),
  z.looseObject({
    status: z.literal('POLL_AGAIN'),
    pollingState: jsonValue,
    retryAfterMs,
  }),
]);

/** What a step program reported, each status with its fields. */
export type StepProgramResult =
  | { status: 'SUCCESS'; outputs: JsonObject }
  | { status: 'FAILED'; error: string }
  | { status: 'APPROVAL_REQUIRED'; approvalContext: JsonValue; message: string }
  | { status: 'TRIGGERED'; pollingState: JsonValue; retryAfterMs: number }
  | { status: 'POLL_AGAIN'; pollingState: JsonValue; retryAfterMs: number };

/** A parse: the result, or why the text is not one. */
export type ParsedStepProgramResult =
  { ok: true; result: StepProgramResult } | { ok: false; problem: string };

/**
 * Parses the text of a result file. Unknown fields are ignored (newer SDKs may add some); a
 * missing or unknown `status`, or a field of the wrong type, is a problem naming the field.
 */
export function parseStepProgramResult(text: string): ParsedStepProgramResult {
  if (text.trim() === '') return { ok: false, problem: 'the result file is empty' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: `the result file is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const status =
    typeof data === 'object' && data !== null && !Array.isArray(data) && 'status' in data
      ? data.status
      : undefined;
  if (typeof status !== 'string' || !STATUSES.has(status)) {
    return {
      ok: false,
      problem: `the result's status is ${status === undefined ? 'missing' : JSON.stringify(status)}, expected SUCCESS, FAILED, APPROVAL_REQUIRED, TRIGGERED or POLL_AGAIN`,
    };
  }
  const parsed = resultSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    return {
      ok: false,
      problem: `the ${status} result is malformed (${where}${issue?.message ?? 'invalid'})`,
    };
  }
  const result = parsed.data;
  switch (result.status) {
    case 'SUCCESS':
      return { ok: true, result: { status: 'SUCCESS', outputs: result.outputs ?? {} } };
    case 'FAILED':
      return {
        ok: true,
        result: {
          status: 'FAILED',
          error:
            result.error ?? result.message ?? 'the step program reported FAILED without a reason',
        },
      };
    case 'APPROVAL_REQUIRED': {
      const context = result.approvalContext ?? null;
      return {
        ok: true,
        result: {
          status: 'APPROVAL_REQUIRED',
          approvalContext: context,
          message: result.message ?? approvalMessageOf(context),
        },
      };
    }
    case 'TRIGGERED':
      return {
        ok: true,
        result: {
          status: 'TRIGGERED',
          pollingState: result.pollingState ?? {},
          retryAfterMs: result.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
        },
      };
    case 'POLL_AGAIN':
      return {
        ok: true,
        result: {
          status: 'POLL_AGAIN',
          pollingState: result.pollingState,
          retryAfterMs: result.retryAfterMs,
        },
      };
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

/** The approval text shown in the API: the context's `message` when it has one, else the context. */
function approvalMessageOf(context: JsonValue): string {
  if (typeof context === 'object' && context !== null && !Array.isArray(context)) {
    const message = context.message;
    if (typeof message === 'string' && message !== '') return message;
  }
  if (context === null) return 'the step asks for approval';
  const text = JSON.stringify(context);
  return `the step asks for approval of ${text.length > 500 ? `${text.slice(0, 497)}...` : text}`;
}
