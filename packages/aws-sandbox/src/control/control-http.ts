// The control API over HTTP under `/_sandbox/`: unauthenticated, so loopback peers only.
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import { readBody } from '../framework/read-body.js';
import type { NewDistribution } from '../services/cloudfront/cloudfront-state.js';
import type { FaultSpec } from './faults.js';
import type {
  HealthTarget,
  NewAccount,
  SandboxControl,
  SandboxSnapshot,
} from './sandbox-control.js';

/** The path prefix of the control API. */
export const CONTROL_PREFIX = '/_sandbox/';

const MAX_CONTROL_BODY = 256 * 1024 * 1024;

function json(status: number, value: unknown): SandboxHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** Whether a peer address is loopback. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

async function bodyJson(request: SandboxHttpRequest): Promise<unknown> {
  const text = (await readBody(request.stream, MAX_CONTROL_BODY, request.headers)).toString('utf8');
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

/** Answers one control request. */
export async function handleControl(
  control: SandboxControl,
  request: SandboxHttpRequest,
): Promise<SandboxHttpResponse> {
  if (!isLoopback(request.remoteAddress)) {
    return json(403, { error: 'the sandbox control API only answers loopback clients' });
  }
  const route = `${request.method} ${request.rawPath.slice(CONTROL_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case 'GET /health':
        return json(200, { ok: true });
      case 'GET /accounts':
        return json(200, control.accounts());
      case 'POST /accounts':
        return json(201, control.createAccount((await bodyJson(request)) as NewAccount));
      case 'POST /reset':
        control.reset();
        return json(200, { ok: true });
      case 'GET /snapshot':
        return json(200, control.snapshot());
      case 'POST /restore':
        control.restore((await bodyJson(request)) as SandboxSnapshot);
        return json(200, { ok: true });
      case 'GET /faults':
        return json(200, control.faults());
      case 'POST /faults':
        return json(201, control.injectFault((await bodyJson(request)) as FaultSpec));
      case 'DELETE /faults':
        control.clearFaults();
        return json(200, { ok: true });
      case 'GET /requests': {
        const service = request.query.get('service') ?? undefined;
        const action = request.query.get('action') ?? undefined;
        return json(
          200,
          control.requestLog({ ...(service ? { service } : {}), ...(action ? { action } : {}) }),
        );
      }
      case 'DELETE /requests':
        control.clearRequestLog();
        return json(200, { ok: true });
      case 'GET /unhealthy':
        return json(200, control.unhealthy());
      case 'POST /unhealthy':
        return json(201, control.markUnhealthy((await bodyJson(request)) as HealthTarget));
      case 'DELETE /unhealthy':
        control.markHealthy((await bodyJson(request)) as HealthTarget);
        return json(200, { ok: true });
      case 'POST /tick':
        await control.tick();
        return json(200, { ok: true });
      case 'GET /event-deliveries':
        return json(200, control.eventDeliveries());
      case 'POST /distributions':
        return json(201, control.createDistribution((await bodyJson(request)) as NewDistribution));
      default: {
        const fault = /^DELETE \/faults\/([\w-]+)$/.exec(route);
        if (fault?.[1] !== undefined) {
          control.clearFaults(fault[1]);
          return json(200, { ok: true });
        }
        return json(404, { error: `no control route ${route}` });
      }
    }
  } catch (error: unknown) {
    return json(400, { error: error instanceof Error ? error.message : String(error) });
  }
}
