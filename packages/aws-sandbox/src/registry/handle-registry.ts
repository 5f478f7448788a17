// The registry's entry point: authenticate, route, inject faults, run the operation, render OCI
// errors, and log the request like any other sandbox call (service `ecr`, action `Registry…`).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import type { SandboxRuntime } from '../framework/runtime.js';
import { ECR_SERVICE } from '../services/ecr/ecr-state.js';
import { newRequestId } from '../state/ids.js';
import { getBlob, deleteBlob } from './blob-operations.js';
import {
  deleteManifest,
  getManifest,
  listReferrers,
  putManifestOperation,
} from './manifest-operations.js';
import { OciError, renderOciError } from './oci-error.js';
import { RegistryAccess } from './registry-access.js';
import { authenticate, type RegistryCaller } from './registry-auth.js';
import { respond, type RegistryCall } from './registry-call.js';
import { routeRegistry, type RegistryOperation, type RegistryRoute } from './registry-routes.js';
import { listTags } from './tag-operations.js';
import {
  cancelUpload,
  completeUploadOperation,
  getUpload,
  patchUpload,
  startUpload,
} from './upload-operations.js';

export { isRegistryRequest } from './registry-routes.js';

const OPERATIONS: Record<
  Exclude<RegistryOperation, 'RegistryPing'>,
  (call: RegistryCall) => Promise<SandboxHttpResponse>
> = {
  RegistryGetManifest: getManifest,
  RegistryHeadManifest: getManifest,
  RegistryPutManifest: putManifestOperation,
  RegistryDeleteManifest: deleteManifest,
  RegistryGetBlob: getBlob,
  RegistryHeadBlob: getBlob,
  RegistryDeleteBlob: deleteBlob,
  RegistryStartUpload: startUpload,
  RegistryPatchUpload: patchUpload,
  RegistryCompleteUpload: completeUploadOperation,
  RegistryGetUpload: getUpload,
  RegistryCancelUpload: cancelUpload,
  RegistryListTags: listTags,
  RegistryListReferrers: listReferrers,
};

async function applyFaults(
  runtime: SandboxRuntime,
  operation: string,
  accountId: string,
): Promise<void> {
  for (const fault of runtime.faults.take(ECR_SERVICE, operation, accountId)) {
    switch (fault.kind) {
      case 'latency':
        // Latency faults are about wall time by definition.
        await sleep(fault.latencyMs);
        break;
      case 'throttle':
        throw new OciError('TOOMANYREQUESTS', 429, 'Rate exceeded');
      case 'internal-error':
        throw new OciError('UNKNOWN', 500, 'We encountered an internal error. Please try again.');
      case 'unavailable':
        throw new OciError('UNAVAILABLE', 503, 'Service is unavailable. Please try again.');
      default: {
        const never: never = fault.kind;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
  }
}

interface Progress {
  operation: string;
  region: string;
  auth?: RegistryCaller;
}

async function serve(
  runtime: SandboxRuntime,
  request: SandboxHttpRequest,
  requestId: string,
  progress: Progress,
): Promise<SandboxHttpResponse> {
  let route: RegistryRoute | undefined;
  let routeError: unknown;
  try {
    route = routeRegistry(request);
    progress.operation = route.operation;
    progress.region = route.name?.region ?? '';
  } catch (error: unknown) {
    routeError = error;
  }
  // Credentials come first: clients learn the auth scheme from the 401 of any request.
  const auth = authenticate(runtime, request);
  progress.auth = auth;
  if (!route) throw routeError;
  await applyFaults(runtime, route.operation, auth.caller.accountId);
  if (route.operation === 'RegistryPing' || !route.name) {
    return respond(200, { 'content-type': 'application/json' }, '{}');
  }
  const call: RegistryCall = {
    runtime,
    request,
    route,
    name: route.name,
    part: route.reference ?? route.uploadId ?? '',
    auth,
    access: new RegistryAccess(runtime, request, requestId, auth.caller, route.operation),
  };
  return OPERATIONS[route.operation](call);
}

/** Answers one registry request (a path under `/v2` that is not SigV4-signed). */
export async function handleRegistry(
  runtime: SandboxRuntime,
  request: SandboxHttpRequest,
): Promise<SandboxHttpResponse> {
  const requestId = newRequestId();
  const started = performance.now();
  const arrived = runtime.clock.now().toISOString();
  const progress: Progress = { operation: 'RegistryUnknown', region: '' };
  let response: SandboxHttpResponse;
  let errorCode: string | undefined;
  try {
    response = await serve(runtime, request, requestId, progress);
  } catch (error: unknown) {
    const ociError =
      error instanceof OciError
        ? error
        : new OciError(
            'UNKNOWN',
            500,
            `Sandbox internal error: ${error instanceof Error ? error.message : String(error)}`,
          );
    errorCode = ociError.code;
    response = renderOciError(ociError, request.method);
  }
  response.headers['x-amzn-requestid'] = requestId;
  runtime.log.add({
    time: arrived,
    requestId,
    service: ECR_SERVICE,
    action: progress.operation,
    callerArn: progress.auth?.caller.arn ?? '',
    accountId: progress.auth?.caller.accountId ?? '',
    region: progress.region,
    status: response.status,
    ...(errorCode !== undefined ? { errorCode } : {}),
    durationMs: performance.now() - started,
  });
  return response;
}
