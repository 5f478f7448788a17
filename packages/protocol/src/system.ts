/** Health, readiness and the EventBridge alarm endpoint's answer. */
import { z } from 'zod';

/** `GET /healthz`: the process is up. */
export const healthResponseSchema = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** `GET /readyz`: 200 when every check is `ok`, 503 otherwise. */
export const readinessResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    /** The database answers. */
    store: z.enum(['ok', 'failed']),
    /** The engine runtime is running. */
    runtime: z.enum(['ok', 'stopped']),
  }),
});
export type ReadinessResponse = z.infer<typeof readinessResponseSchema>;

/** The header EventBridge's API destination sends the `alarm_push_token` in. */
export const ALARM_PUSH_TOKEN_HEADER = 'x-rampart-alarm-token';

/** `POST /api/v1/alarm-events` (202): the state change was taken; the pipelines watching that alarm. */
export const alarmEventResponseSchema = z.object({
  accepted: z.literal(true),
  alarm: z.string(),
  state: z.string(),
});
export type AlarmEventResponse = z.infer<typeof alarmEventResponseSchema>;
