// The contract of one CloudFormation resource type: how it is created, updated, replaced and
// deleted through the emulated services, and what Ref / Fn::GetAtt return.
import type { InputValue } from '../../../framework/input.js';

/** Resolved properties (no intrinsic functions left). */
export type ResourceProperties = Record<string, unknown>;

/** What a provider may use while it works. */
export interface ProviderContext {
  logicalId: string;
  stackName: string;
  stackId: string;
  accountId: string;
  region: string;
  /**
   * Runs an action of an emulated service as the stack's acting identity (the caller, or the
   * stack's role), in the stack's account and region, with IAM enforced. Throws its errors.
   * `request` carries a body for REST handlers that read one (S3 configuration documents).
   */
  call(
    service: string,
    action: string,
    input: Record<string, InputValue>,
    request?: { body: string; headers?: Record<string, string> },
  ): Promise<unknown>;
  /**
   * A fresh physical name `<stack>-<logicalId>-<RANDOM>` of at most `maxLength` characters (the
   * stack and logical id are shortened to fit), as CloudFormation generates.
   */
  physicalName(options?: { maxLength?: number; lowercase?: boolean }): string;
}

/** The outcome of a create or update. */
export interface ProvisionResult {
  physicalId: string;
  /** What `Ref` returns. @default physicalId */
  ref?: string;
  /** `Fn::GetAtt` values by attribute name. */
  attributes: Record<string, string>;
}

/** An update of an existing resource in place. */
export interface ResourceUpdate {
  physicalId: string;
  previous: ResourceProperties;
  props: ResourceProperties;
  attributes: Record<string, string>;
}

/** An existing resource. */
export interface ExistingResource {
  physicalId: string;
  props: ResourceProperties;
  attributes: Record<string, string>;
}

/**
 * What a stabilization check found: the resource is ready, it failed (with CloudFormation's
 * status reason), or it is still settling and should be checked again at `checkAt` (epoch ms on
 * the sandbox clock).
 */
export type Stabilization =
  { state: 'ready' } | { state: 'failed'; reason: string } | { state: 'waiting'; checkAt: number };

/**
 * One resource type. Register it in `provider-registry.ts`; properties arrive resolved, with stack
 * tags already merged into `Tags` when `taggable` is set.
 */
export interface ResourceProvider {
  /** `AWS::IAM::Role`. */
  readonly type: string;
  /** Properties whose change replaces the resource (AWS: "Update requires: Replacement"). */
  readonly replaceOn: readonly string[];
  /** The attribute names `Fn::GetAtt` accepts. */
  readonly attributes: readonly string[];
  /** Whether stack tags propagate into the `Tags` property (`[{ Key, Value }]`). @default false */
  readonly taggable?: boolean;
  create(ctx: ProviderContext, props: ResourceProperties): Promise<ProvisionResult>;
  update(ctx: ProviderContext, change: ResourceUpdate): Promise<ProvisionResult>;
  /**
   * Waits, as CloudFormation does, for a created or updated resource to settle (an ECS service's
   * rollout to complete): called at the resource's finish time `at` and again at each `checkAt`
   * until it is ready or failed. Errors it throws fail the resource. @default ready at once
   */
  stabilize?(ctx: ProviderContext, resource: ExistingResource, at: Date): Promise<Stabilization>;
  /** Deletes the resource; a resource already gone counts as deleted. */
  delete(ctx: ProviderContext, resource: ExistingResource): Promise<void>;
}
