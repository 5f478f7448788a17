// IAM enforcement: runs @cloud-copilot/iam-simulate and turns a denial into AWS's message.
import {
  anonymousPrincipal,
  runSimulation,
  type RunSimulationResults,
  type Simulation,
  type SimulationResourceResult,
} from '@cloud-copilot/iam-simulate';
import type { Caller } from './caller.js';
import { carryContextKeys, carryPolicyKeys } from './colon-condition-keys.js';
import { forSimulation } from './policy-documents.js';
import type { CallerPolicies } from './identity-policies.js';

/** One resource an action touches, as a service declares it. */
export interface ResourceTarget {
  /** The resource ARN, or `*` for actions that take no resource. */
  arn: string;
  /**
   * The account that owns the resource.
   * @default the account in the ARN, else the caller's account
   */
  accountId?: string;
  /** The resource's policy (bucket policy, key policy, trust policy), parsed JSON. */
  resourcePolicy?: unknown;
  /** Condition keys specific to this resource (`s3:prefix`, `kms:ViaService`, …). @default {} */
  context?: Record<string, string | string[]>;
}

/** The outcome of one authorization. */
export type AuthorizationResult =
  | { allowed: true }
  | { allowed: false; explicit: boolean; reason: string }
  | { allowed: false; error: string };

/** The principal of unsigned requests (S3 public reads): only resource policies can allow them. */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

/** Everything needed to authorize one action on one resource. */
export interface AuthorizationRequest {
  /** The ARN iam-simulate sees as the principal (the session ARN for roles), or {@link ANONYMOUS_PRINCIPAL}. */
  principal: string;
  action: string;
  target: ResourceTarget;
  policies: CallerPolicies;
  context: Record<string, string | string[]>;
}

/** The owner account of a resource: from its ARN when it has one. */
export function ownerAccount(target: ResourceTarget, fallback: string): string {
  if (target.accountId !== undefined) return target.accountId;
  const fromArn = target.arn.split(':')[4];
  return fromArn !== undefined && /^\d{12}$/.test(fromArn) ? fromArn : fallback;
}

function analyses(result: RunSimulationResults): SimulationResourceResult[] {
  if (result.resultType === 'single') return [result.result];
  if (result.resultType === 'wildcard') return result.results;
  return [];
}

function denialReason(
  action: string,
  results: SimulationResourceResult[],
): { explicit: boolean; reason: string } {
  for (const { analysis } of results) {
    if (analysis.result === 'Allowed') continue;
    if ((analysis.identityAnalysis?.denyStatements.length ?? 0) > 0) {
      return { explicit: true, reason: 'with an explicit deny in an identity-based policy' };
    }
    if ((analysis.resourceAnalysis?.denyStatements.length ?? 0) > 0) {
      return { explicit: true, reason: 'with an explicit deny in a resource-based policy' };
    }
    if ((analysis.permissionBoundaryAnalysis?.denyStatements.length ?? 0) > 0) {
      return { explicit: true, reason: 'with an explicit deny in a permissions boundary' };
    }
    if ((analysis.sessionAnalysis?.denyStatements.length ?? 0) > 0) {
      return { explicit: true, reason: 'with an explicit deny in a session policy' };
    }
    if (
      analysis.permissionBoundaryAnalysis &&
      analysis.permissionBoundaryAnalysis.result !== 'Allowed'
    ) {
      return {
        explicit: false,
        reason: `because no permissions boundary allows the ${action} action`,
      };
    }
    if (analysis.sessionAnalysis && analysis.sessionAnalysis.result !== 'Allowed') {
      return { explicit: false, reason: `because no session policy allows the ${action} action` };
    }
    const identityAllowed = analysis.identityAnalysis?.result === 'Allowed';
    const resource = analysis.resourceAnalysis?.result;
    if (
      identityAllowed &&
      (!analysis.sameAccount || (resource !== undefined && resource !== 'NotApplicable'))
    ) {
      return {
        explicit: false,
        reason: `because no resource-based policy allows the ${action} action`,
      };
    }
  }
  return {
    explicit: false,
    reason: `because no identity-based policy allows the ${action} action`,
  };
}

/** Runs the simulation for one request. */
export async function evaluate(
  request: AuthorizationRequest,
  callerAccount: string,
): Promise<AuthorizationResult> {
  const simulation: Simulation = {
    request: {
      principal: request.principal === ANONYMOUS_PRINCIPAL ? anonymousPrincipal : request.principal,
      action: request.action,
      resource: {
        resource: request.target.arn,
        accountId: ownerAccount(request.target, callerAccount),
      },
      contextVariables: carryContextKeys({ ...request.context, ...(request.target.context ?? {}) }),
    },
    identityPolicies: request.policies.identity.map((named) => ({
      ...named,
      policy: forSimulation(carryPolicyKeys(named.policy), 'identity'),
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.target.resourcePolicy !== undefined
      ? {
          resourcePolicy: forSimulation(carryPolicyKeys(request.target.resourcePolicy), 'resource'),
        }
      : {}),
    ...(request.policies.boundary
      ? {
          permissionBoundaryPolicies: [
            {
              ...request.policies.boundary,
              policy: forSimulation(carryPolicyKeys(request.policies.boundary.policy), 'identity'),
            },
          ],
        }
      : {}),
    ...(request.policies.session !== undefined && request.principal !== ANONYMOUS_PRINCIPAL
      ? { sessionPolicy: forSimulation(carryPolicyKeys(request.policies.session), 'identity') }
      : {}),
  };
  let result = await runSimulation(simulation, {});
  if (result.resultType === 'error' && result.errors.message === 'must.use.wildcard') {
    // The IAM reference lists no resource type for this action: AWS authorizes it on `*`.
    simulation.request.resource.resource = '*';
    result = await runSimulation(simulation, {});
  }
  if (result.resultType === 'error') {
    return { allowed: false, error: JSON.stringify(result.errors) };
  }
  if (result.overallResult === 'Allowed') return { allowed: true };
  return { allowed: false, ...denialReason(request.action, analyses(result)) };
}

/** AWS's denial message: `User: <arn> is not authorized to perform: <action> on resource: <arn> <reason>`. */
export function denialMessage(
  caller: Caller,
  action: string,
  resource: string,
  reason: string,
): string {
  return `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
}
