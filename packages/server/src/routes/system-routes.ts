/**
 * Routes outside the token-protected API: readiness, metrics, and the alarm endpoint EventBridge
 * calls with its own secret.
 */
import { RampartError } from '@rampart/core';
import { ALARM_PUSH_TOKEN_HEADER, apiPaths, type ReadinessResponse } from '@rampart/protocol';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { sameSecret } from '../http/authenticate.js';
import { alarmObservationOf } from '../services/alarm-events-service.js';
import type { ServerContext } from '../services/server-context.js';

export function registerSystemRoutes(app: Hono<AppEnv>, ctx: ServerContext): void {
  app.get(apiPaths.readiness(), async (c) => {
    let store: ReadinessResponse['checks']['store'] = 'ok';
    try {
      await ctx.store.ping();
    } catch {
      store = 'failed';
    }
    const runtime = ctx.runtimeRunning() ? 'ok' : 'stopped';
    const ready = store === 'ok' && runtime === 'ok';
    const body: ReadinessResponse = {
      status: ready ? 'ready' : 'not_ready',
      checks: { store, runtime },
    };
    return c.json(body, ready ? 200 : 503);
  });

  app.get(apiPaths.metrics(), async (c) => {
    const { text, contentType } = await ctx.metrics.render();
    return c.body(text, 200, { 'content-type': contentType });
  });

  // EventBridge retries on 5xx and 429, so the answer comes before the engine has applied the
  // change; the state change is applied in the background and kept for stop() to wait for.
  app.post(apiPaths.alarmEvents(), async (c) => {
    const expected = ctx.config.alarm_push_token;
    const given = c.req.header(ALARM_PUSH_TOKEN_HEADER);
    if (expected === undefined) {
      throw new RampartError(
        'API_UNAUTHENTICATED',
        'the alarm endpoint is disabled on this server',
        {
          hint: 'Set alarm_push_token (RAMPART_ALARM_PUSH_TOKEN) and send it in x-rampart-alarm-token.',
        },
      );
    }
    if (given === undefined || !sameSecret(given, expected)) {
      throw new RampartError(
        'API_UNAUTHENTICATED',
        `the ${ALARM_PUSH_TOKEN_HEADER} header is missing or wrong`,
        {
          hint: "Give the API destination's connection the alarm_push_token as an API key header.",
        },
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    const { pushed, observation } = alarmObservationOf(body);
    ctx.background(
      ctx.runtime.observeAlarm(observation).catch((error: unknown) =>
        ctx.notify({
          code: 'server.alarm_event_failed',
          alarm: observation.alarm,
          message: error instanceof Error ? error.message : String(error),
        }),
      ),
    );
    return c.json({ accepted: true, alarm: pushed.alarmName, state: pushed.state }, 202);
  });
}
