// What a running stack operation carries: the request that started it, the acting identity, the
// stack, and the means to record events and call services.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../auth/caller.js';
import { AwsError, CommonError } from '../../../framework/aws-error.js';
import type { ActionContext } from '../../../framework/service.js';
import type { SandboxState } from '../../../state/sandbox-state.js';
import type { CfnRegionState, StackRecord, StackResource, StackStatus } from '../cfn-state.js';
import { generatePhysicalName } from '../resources/physical-names.js';
import type { ProviderContext } from '../resources/resource-provider.js';
import { PropertiesValidationError } from '../resources/properties-validation-error.js';
import type { StackScheduler } from './stack-scheduler.js';

/** A running operation on one stack. */
export interface OperationEnv {
  /** The request that started the operation; services are invoked through it. */
  readonly ctx: ActionContext;
  /** Who CloudFormation acts as: the caller, or the stack's service role. */
  readonly caller: Caller;
  readonly state: CfnRegionState;
  readonly stack: StackRecord;
  readonly scheduler: StackScheduler;
  /** The state the operation started on; a reset or restore replaces it and ends the operation. */
  readonly world: SandboxState;
  readonly token?: string;
}

/** Whether the sandbox still holds the state the operation started on. */
export function isAlive(env: OperationEnv): boolean {
  return env.ctx.runtime.state === env.world;
}

/** The emulated duration of one resource operation (`cloudformation.resource[.<Type>]`). */
export function resourceDelay(env: OperationEnv, type: string): number {
  const runtime = env.ctx.runtime;
  return (
    runtime.delayMs(`cloudformation.resource.${type}`) || runtime.delayMs('cloudformation.resource')
  );
}

/** Records a stack-level event and sets the stack's status. */
export function stackEvent(
  env: Pick<OperationEnv, 'stack' | 'token'>,
  status: StackStatus,
  at: Date,
  reason?: string,
): void {
  const { stack } = env;
  stack.status = status;
  if (reason === undefined) delete stack.statusReason;
  else stack.statusReason = reason;
  stack.events.push({
    eventId: randomUUID(),
    logicalId: stack.stackName,
    physicalId: stack.stackId,
    resourceType: 'AWS::CloudFormation::Stack',
    timestamp: at.toISOString(),
    status,
    ...(reason !== undefined ? { statusReason: reason } : {}),
    ...(env.token !== undefined ? { clientRequestToken: env.token } : {}),
  });
}

/** Records a resource event (for a resource record, or a bare physical resource). */
export function resourceEvent(
  env: OperationEnv,
  resource: Pick<StackResource, 'logicalId' | 'type' | 'physicalId'>,
  status: string,
  at: Date,
  reason?: string,
  properties?: unknown,
): void {
  env.stack.events.push({
    eventId: `${resource.logicalId}-${status}-${at.toISOString()}-${randomUUID().slice(0, 8)}`,
    logicalId: resource.logicalId,
    physicalId: resource.physicalId ?? '',
    resourceType: resource.type,
    timestamp: at.toISOString(),
    status,
    ...(reason !== undefined ? { statusReason: reason } : {}),
    ...(properties !== undefined ? { resourceProperties: JSON.stringify(properties) } : {}),
    ...(env.token !== undefined ? { clientRequestToken: env.token } : {}),
  });
}

/** The context a resource provider works with. */
export function providerContext(env: OperationEnv, logicalId: string): ProviderContext {
  const { ctx, stack } = env;
  return {
    logicalId,
    stackName: stack.stackName,
    stackId: stack.stackId,
    accountId: ctx.accountId,
    region: ctx.region,
    call: (service, action, input, request) =>
      ctx.invoke(service, action, input, { caller: env.caller, region: ctx.region, ...request }),
    physicalName: (options) => generatePhysicalName(stack.stackName, logicalId, options),
  };
}

const SERVICE_NAMES: Record<string, string> = {
  iam: 'Iam',
  s3: 'S3',
  kms: 'Kms',
  secretsmanager: 'SecretsManager',
  sts: 'Sts',
};

function handlerErrorCode(code: string, status: number): string {
  if (/AccessDenied/.test(code)) return 'AccessDenied';
  if (/NoSuch|NotFound/.test(code)) return 'NotFound';
  if (/AlreadyExists|AlreadyOwned|ResourceExists/.test(code)) return 'AlreadyExists';
  if (/Throttl/.test(code)) return 'Throttling';
  if (/LimitExceeded/.test(code)) return 'ServiceLimitExceeded';
  if (/Malformed|Validation|Invalid/.test(code)) return 'InvalidRequest';
  return status >= 500 ? 'ServiceInternalError' : 'GeneralServiceException';
}

/** A failure as a resource status reason, worded as CloudFormation's resource handlers do. */
export function failureReason(
  env: OperationEnv,
  logicalId: string,
  service: string | undefined,
  error: unknown,
): string {
  if (error instanceof PropertiesValidationError) {
    return `Properties validation failed for resource ${logicalId} with message: ${error.message}`;
  }
  let awsError: AwsError | undefined;
  if (error instanceof AwsError) awsError = error;
  else if (error instanceof CommonError) {
    const protocol =
      env.ctx.runtime.services.get(service ?? '')?.protocol ?? env.ctx.service.protocol;
    awsError = protocol.commonError(error.kind, error.message);
  }
  if (awsError === undefined) {
    return `Internal failure: ${error instanceof Error ? error.message : String(error)}`;
  }
  const name = SERVICE_NAMES[service ?? ''] ?? service ?? 'CloudFormation';
  return (
    `Resource handler returned message: "${awsError.message} (Service: ${name}, Status Code: ${awsError.status}, ` +
    `Request ID: ${randomUUID()})" (HandlerErrorCode: ${handlerErrorCode(awsError.code, awsError.status)})`
  );
}

/** Wraps a provider context so the last service called is known when a call fails. */
export function tracking(context: ProviderContext): {
  context: ProviderContext;
  lastService: () => string | undefined;
} {
  let last: string | undefined;
  return {
    context: {
      ...context,
      call: (service, action, input, request) => {
        last = service;
        return context.call(service, action, input, request);
      },
    },
    lastService: () => last,
  };
}
