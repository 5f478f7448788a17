// One request end to end: route, read the body, verify the signature, inject faults, authorize,
// run the handler, render — and always answer in the protocol's error shape, never crash.
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANONYMOUS_PRINCIPAL,
  denialMessage,
  evaluate,
  type ResourceTarget,
} from '../auth/authorizer.js';
import { ANONYMOUS, callerFor, type Caller } from '../auth/caller.js';
import { callerPolicies } from '../auth/identity-policies.js';
import type { Protocol } from '../protocols/protocol.js';
import { queryProtocol } from '../protocols/query-protocol.js';
import { readSignatureInfo, type SignatureInfo } from '../signing/signature-info.js';
import { verifyRequest } from '../signing/verify-request.js';
import { newRequestId } from '../state/ids.js';
import { AwsError, CommonError } from './aws-error.js';
import { RawResponse, type SandboxHttpRequest, type SandboxHttpResponse } from './http.js';
import { Input, type InputValue } from './input.js';
import { readBody } from './read-body.js';
import type { SandboxRuntime } from './runtime.js';
import type {
  ActionContext,
  ActionDefinition,
  InvokeOptions,
  ServiceDefinition,
} from './service.js';

/** Used to answer requests that match no service. */
const FALLBACK_PROTOCOL = queryProtocol({
  version: '2011-06-15',
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
});

/** The body limit before the service is known. */
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

/** The region global services sign with. */
export const GLOBAL_REGION = 'us-east-1';

interface Progress {
  service: string;
  action: string;
  caller?: Caller;
  region: string;
  protocol: Protocol;
}

function toAwsError(error: unknown, protocol: Protocol): AwsError {
  if (error instanceof AwsError) return error;
  if (error instanceof CommonError) return protocol.commonError(error.kind, error.message);
  const message = error instanceof Error ? error.message : String(error);
  return protocol.commonError('InternalFailure', `Sandbox internal error: ${message}`);
}

/** The protocol of one request to a service (services may speak several). */
function protocolOf(service: ServiceDefinition, request: SandboxHttpRequest): Protocol {
  return service.protocol.forRequest?.(request) ?? service.protocol;
}

/** Finds the service of an unsigned request (the only ones allowed are `anonymous` actions). */
function unsignedService(
  runtime: SandboxRuntime,
  request: SandboxHttpRequest,
  body: Buffer,
): ServiceDefinition | undefined {
  const target = request.headers['x-amz-target'];
  const form = new URLSearchParams(body.toString('utf8'));
  const action = request.query.get('Action') ?? form.get('Action');
  for (const service of runtime.services.values()) {
    if (service.protocol.name === 'json' && target !== undefined) {
      const name = target.slice(target.lastIndexOf('.') + 1);
      if (service.actions[name]?.auth === 'anonymous') return service;
    }
    if (
      service.protocol.name === 'query' &&
      action !== null &&
      service.actions[action]?.auth === 'anonymous'
    ) {
      return service;
    }
  }
  return undefined;
}

/** Builds the handler context. */
export function createContext(
  runtime: SandboxRuntime,
  fields: {
    service: ServiceDefinition;
    action: string;
    input: Input;
    request: SandboxHttpRequest;
    requestId: string;
    region: string;
    caller: Caller;
    signature?: SignatureInfo;
  },
): ActionContext {
  const { service, caller } = fields;
  const stateRegion = service.global === true ? 'global' : fields.region;
  // Fields listed one by one rather than spread: this runs for every request, and a literal with
  // a fixed shape is cheaper to build and to read than a spread copy.
  const ctx: ActionContext = {
    service,
    action: fields.action,
    input: fields.input,
    request: fields.request,
    requestId: fields.requestId,
    region: fields.region,
    caller,
    signature: fields.signature,
    accountId: caller.accountId,
    clock: runtime.clock,
    runtime,
    world: runtime.state,
    state: <T>(init: () => T, where: { accountId?: string; region?: string } = {}): T =>
      runtime.serviceState(
        service.name,
        where.accountId ?? caller.accountId,
        where.region ?? stateRegion,
        init,
      ),
    sharedState: <T>(init: () => T): T => runtime.sharedState(service.name, init),
    authorize: async (iamAction, target, context = {}) => {
      await authorizeCaller(
        runtime,
        ctx,
        iamAction,
        typeof target === 'string' ? { arn: target } : target,
        context,
      );
    },
    invoke: (serviceName, action, input, options = {}) =>
      invokeAction(runtime, {
        serviceName,
        action,
        input,
        request: invokedRequest(fields.request, options),
        requestId: fields.requestId,
        region: options.region ?? fields.region,
        caller: options.caller ?? caller,
      }),
  };
  return ctx;
}

/** The request an invoked action sees: the caller's, or one carrying `options.body`. */
function invokedRequest(request: SandboxHttpRequest, options: InvokeOptions): SandboxHttpRequest {
  if (options.body === undefined) return request;
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  return {
    ...request,
    headers: { 'content-length': String(body.length), ...(options.headers ?? {}) },
    body,
    stream: Readable.from([body], { objectMode: false }),
  };
}

/**
 * Runs another service's action in-process, as `caller`: validation, authorization and the
 * handler, without faults or logging. Errors propagate as thrown (`AwsError` with the target
 * service's code, `CommonError` for denials).
 */
export async function invokeAction(
  runtime: SandboxRuntime,
  call: {
    serviceName: string;
    action: string;
    input: Record<string, InputValue>;
    request: SandboxHttpRequest;
    requestId: string;
    region: string;
    caller: Caller;
  },
): Promise<unknown> {
  const service = runtime.services.get(call.serviceName);
  const definition =
    service && Object.hasOwn(service.actions, call.action)
      ? service.actions[call.action]
      : undefined;
  if (!service || !definition) {
    throw new Error(`invoke: no action ${call.serviceName}:${call.action} in the sandbox`);
  }
  const ctx = createContext(runtime, {
    service,
    action: call.action,
    input: new Input(call.input),
    request: call.request,
    requestId: call.requestId,
    region: call.region,
    caller: call.caller,
  });
  definition.validate?.(ctx);
  if ((definition.auth ?? 'iam') === 'iam') await authorizeAction(runtime, ctx, definition);
  return definition.handler(ctx);
}

/** The request condition keys the framework fills for every call. */
function requestContext(
  runtime: SandboxRuntime,
  ctx: ActionContext,
  tags: { Key: string; Value: string }[],
): Record<string, string | string[]> {
  const { caller } = ctx;
  const now = runtime.clock.now();
  const context: Record<string, string | string[]> = {
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': runtime.secureTransport ? 'true' : 'false',
    'aws:SourceIp': ctx.request.remoteAddress.replace(/^::ffff:/, ''),
    'aws:RequestedRegion': ctx.region,
  };
  if (caller.kind === 'anonymous') return context;
  Object.assign(context, {
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalArn': caller.principalArn,
    'aws:userid': caller.userId,
    'aws:PrincipalOrgID': runtime.state.organization.id,
    'aws:PrincipalType': caller.kind === 'user' ? 'User' : 'AssumedRole',
  });
  if (caller.kind === 'user') context['aws:username'] = caller.userName;
  for (const tag of tags) context[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  return context;
}

/** Authorizes the caller of `ctx` for one IAM action on one resource, throwing AccessDenied. */
export async function authorizeCaller(
  runtime: SandboxRuntime,
  ctx: ActionContext,
  iamAction: string,
  target: ResourceTarget,
  extraContext: Record<string, string | string[]>,
): Promise<void> {
  const { caller } = ctx;
  const policies = callerPolicies(runtime.state, caller);
  const result = await evaluate(
    {
      principal: caller.kind === 'anonymous' ? ANONYMOUS_PRINCIPAL : caller.arn,
      action: iamAction,
      target,
      policies,
      context: { ...requestContext(runtime, ctx, policies.tags), ...extraContext },
    },
    caller.accountId,
  );
  if (result.allowed) return;
  if ('error' in result) {
    throw new AwsError(
      'InternalFailure',
      `Sandbox could not evaluate ${iamAction}: ${result.error}`,
      { status: 500 },
    );
  }
  throw new CommonError(
    'AccessDenied',
    denialMessage(caller, iamAction, target.arn, result.reason),
  );
}

async function authorizeAction(
  runtime: SandboxRuntime,
  ctx: ActionContext,
  definition: ActionDefinition,
): Promise<void> {
  const iamAction =
    typeof definition.iamAction === 'function'
      ? definition.iamAction(ctx)
      : (definition.iamAction ?? `${ctx.service.iamPrefix ?? ctx.service.name}:${ctx.action}`);
  const targets = definition.resources ? await definition.resources(ctx) : ['*'];
  const extra = definition.context ? definition.context(ctx) : {};
  for (const target of targets) {
    await authorizeCaller(
      runtime,
      ctx,
      iamAction,
      typeof target === 'string' ? { arn: target } : target,
      extra,
    );
  }
}

async function applyFaults(
  runtime: SandboxRuntime,
  service: string,
  action: string,
  accountId: string,
): Promise<void> {
  for (const fault of runtime.faults.take(service, action, accountId)) {
    switch (fault.kind) {
      case 'latency':
        // The only real timer in the sandbox: latency is about wall time by definition.
        await sleep(fault.latencyMs);
        break;
      case 'throttle':
        throw new CommonError('Throttling', 'Rate exceeded');
      case 'internal-error':
        throw new CommonError(
          'InternalFailure',
          'We encountered an internal error. Please try again.',
        );
      case 'unavailable':
        throw new CommonError('ServiceUnavailable', 'Service is unavailable. Please try again.');
      default: {
        const never: never = fault.kind;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
  }
}

/** Handles one AWS API request (anything outside `/_sandbox/`). */
export async function dispatch(
  runtime: SandboxRuntime,
  request: SandboxHttpRequest,
): Promise<SandboxHttpResponse> {
  const requestId = newRequestId();
  const started = performance.now();
  const arrived = runtime.clock.now().toISOString();
  const progress: Progress = { service: '', action: '', region: '', protocol: FALLBACK_PROTOCOL };
  let response: SandboxHttpResponse;
  let errorCode: string | undefined;
  try {
    response = await handle(runtime, request, requestId, progress);
  } catch (error: unknown) {
    const awsError = toAwsError(error, progress.protocol);
    errorCode = awsError.code;
    response = progress.protocol.renderError(awsError, requestId);
  }
  runtime.log.add({
    time: arrived,
    requestId,
    service: progress.service,
    action: progress.action,
    callerArn: progress.caller?.arn ?? '',
    accountId: progress.caller?.accountId ?? '',
    region: progress.region,
    status: response.status,
    ...(errorCode !== undefined ? { errorCode } : {}),
    durationMs: performance.now() - started,
  });
  return response;
}

async function handle(
  runtime: SandboxRuntime,
  request: SandboxHttpRequest,
  requestId: string,
  progress: Progress,
): Promise<SandboxHttpResponse> {
  if (request.headers['x-amz-target'] !== undefined) {
    // Until the signature names the service, answer JSON callers in JSON.
    const json = [...runtime.services.values()].find(
      (candidate) => candidate.protocol.name === 'json',
    );
    if (json) progress.protocol = json.protocol;
  }
  const info: SignatureInfo | undefined = readSignatureInfo(request);
  let service: ServiceDefinition | undefined;
  if (info !== undefined) {
    service = runtime.services.get(info.service);
    progress.service = info.service;
    progress.region = info.region;
    if (!service) {
      throw new CommonError(
        'UnknownAction',
        `The sandbox does not emulate the service "${info.service}"`,
      );
    }
    progress.protocol = protocolOf(service, request);
  }
  if (info === undefined) {
    // Unsigned: a service may claim it from the request line alone (S3 anonymous reads)…
    service = [...runtime.services.values()].find(
      (candidate) => candidate.claimsUnsigned?.(request) === true,
    );
  }
  const maxBody = service ? service.protocol.maxBodyBytes : DEFAULT_MAX_BODY;
  const body =
    maxBody === undefined
      ? Buffer.alloc(0)
      : await readBody(request.stream, maxBody, request.headers);
  const withBody: SandboxHttpRequest = { ...request, body };
  let caller: Caller = ANONYMOUS;
  if (info === undefined) {
    // … or by an action that accepts anonymous calls (sts:AssumeRoleWithWebIdentity).
    service ??= unsignedService(runtime, withBody, body);
    if (!service)
      throw new CommonError('MissingAuthentication', 'Request is missing Authentication Token');
    progress.service = service.name;
    progress.region = GLOBAL_REGION;
    progress.protocol = protocolOf(service, request);
    progress.caller = caller;
  } else if (service) {
    const credential = verifyRequest(runtime.state, runtime.clock, withBody, info, {
      buffered: maxBody !== undefined,
      doubleEscapePath: service.protocol.doubleEscapePath,
    });
    const resolved = callerFor(runtime.state, credential);
    if (!resolved)
      throw new CommonError(
        'UnknownAccessKey',
        'The security token included in the request is invalid.',
      );
    caller = resolved;
    progress.caller = caller;
  }
  if (!service) throw new CommonError('UnknownAction', 'No service matches the request');
  const parsed = await progress.protocol.parse(withBody);
  progress.action = parsed.action;
  const definition = Object.hasOwn(service.actions, parsed.action)
    ? service.actions[parsed.action]
    : undefined;
  if (!definition)
    throw new CommonError('UnknownAction', `Could not find operation ${parsed.action}`);
  if (
    info === undefined &&
    definition.auth !== 'anonymous' &&
    service.claimsUnsigned === undefined
  ) {
    throw new CommonError('MissingAuthentication', 'Request is missing Authentication Token');
  }
  const region = info?.region ?? GLOBAL_REGION;
  const ctx = createContext(runtime, {
    service,
    action: parsed.action,
    input: parsed.input,
    request: withBody,
    requestId,
    region,
    caller,
    ...(info !== undefined ? { signature: info } : {}),
  });
  await applyFaults(runtime, service.name, parsed.action, caller.accountId);
  definition.validate?.(ctx);
  if ((definition.auth ?? 'iam') === 'iam') await authorizeAction(runtime, ctx, definition);
  const output: unknown = await definition.handler(ctx);
  if (output instanceof RawResponse) return output;
  return progress.protocol.render(parsed.action, output, requestId);
}
