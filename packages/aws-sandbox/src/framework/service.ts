// The contract of an emulated service: a protocol, an action table, and per action its IAM shape.
import type { Caller } from '../auth/caller.js';
import type { ResourceTarget } from '../auth/authorizer.js';
import type { Clock } from '../clock.js';
import type { ServiceHooks } from './background.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SignatureInfo } from '../signing/signature-info.js';
import type { SandboxState } from '../state/sandbox-state.js';
import type { SandboxHttpRequest } from './http.js';
import type { Input, InputValue } from './input.js';
import type { SandboxRuntime } from './runtime.js';

/**
 * How an action is authenticated and authorized.
 * - `iam` (default): signed, and every resource is authorized against IAM policies.
 * - `signature-only`: signed, no policy check (`sts:GetCallerIdentity`).
 * - `anonymous`: unsigned requests are accepted (`sts:AssumeRoleWithWebIdentity`); the handler
 *   authorizes itself. Signed requests to it are still verified.
 */
export type ActionAuth = 'iam' | 'signature-only' | 'anonymous';

/** Everything a handler receives. */
export interface ActionContext {
  readonly service: ServiceDefinition;
  readonly action: string;
  readonly input: Input;
  readonly request: SandboxHttpRequest;
  readonly requestId: string;
  /** The region of the credential scope (`us-east-1` for global services). */
  readonly region: string;
  readonly caller: Caller;
  /**
   * The verified SigV4 parameters (absent for anonymous calls). S3 needs them to check
   * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` chunk signatures (the seed signature is `signature`).
   */
  readonly signature?: SignatureInfo;
  /** The account the call acts in: the caller's. */
  readonly accountId: string;
  readonly clock: Clock;
  readonly runtime: SandboxRuntime;
  /** The whole state (prefer {@link ActionContext.state} for a service's own data). */
  readonly world: SandboxState;
  /**
   * This service's plain-data state in an account and region (created by `init` on first use).
   * Keep it JSON-serializable: snapshots copy it.
   */
  state<T>(init: () => T, where?: { accountId?: string; region?: string }): T;
  /** State whose namespace spans accounts (S3 bucket names), created by `init` on first use. */
  sharedState<T>(init: () => T): T;
  /**
   * Authorizes one more IAM action inside a handler (PassRole, CloudFormation resources, …).
   * Throws the protocol's `AccessDenied` on denial.
   */
  authorize(
    iamAction: string,
    target: string | ResourceTarget,
    context?: Record<string, string | string[]>,
  ): Promise<void>;
  /**
   * Runs another action in-process as this caller (or `options.caller`), with validation and
   * authorization but without faults or request logging — how CloudFormation creates resources.
   * Returns the handler's output; throws its errors.
   */
  invoke(
    service: string,
    action: string,
    input: Record<string, InputValue>,
    options?: InvokeOptions,
  ): Promise<unknown>;
}

/** Options of {@link ActionContext.invoke}. */
export interface InvokeOptions {
  /** @default the calling request's region */
  region?: string;
  /** @default the calling request's caller */
  caller?: Caller;
  /**
   * The request body the invoked handler reads (S3 configuration documents, which REST handlers
   * read from the request rather than from `input`). When set, the invoked action sees a request
   * with this body, `content-length` and `headers` instead of the calling request's.
   * @default the calling request, body and headers unchanged
   */
  body?: string | Buffer;
  /** Headers of the request built for `body`. @default {} */
  headers?: Record<string, string>;
}

/** One action of a service. */
export interface ActionDefinition {
  /**
   * The IAM action checked, or a function of the call for actions whose IAM action depends on
   * the input (S3 `GetObject` with a `versionId` is `s3:GetObjectVersion`).
   * @default `<iamPrefix>:<ActionName>`
   */
  iamAction?: string | ((ctx: ActionContext) => string);
  /**
   * The resources the call touches; each is authorized (strings are ARNs or `*`). A target may
   * carry the resource's policy (bucket/key/trust policy) and resource condition keys.
   * @default () => ['*']
   */
  resources?: (
    ctx: ActionContext,
  ) => (string | ResourceTarget)[] | Promise<(string | ResourceTarget)[]>;
  /** Extra request condition keys (`iam:PassedToService`, `s3:prefix`, …). @default none */
  context?: (ctx: ActionContext) => Record<string, string | string[]>;
  /** @default 'iam' */
  auth?: ActionAuth;
  /** Input checks that must fail before authorization, as AWS validates first. @default none */
  validate?: (ctx: ActionContext) => void;
  /** Does the work; returns the output the protocol renders (or a `RawResponse`). */
  handler: (ctx: ActionContext) => unknown;
}

/** An emulated service. */
export interface ServiceDefinition {
  /** The SigV4 signing name (`iam`, `sts`, `s3`, `kms`, `secretsmanager`, `organizations`). */
  name: string;
  /** The IAM action prefix. @default name */
  iamPrefix?: string;
  protocol: Protocol;
  /** Global services (IAM, Organizations) keep one state per account instead of per region. */
  global?: boolean;
  actions: Record<string, ActionDefinition>;
  /**
   * Claims an unsigned request from its method, path and headers, before the body is read (S3
   * anonymous access to public buckets). Unsigned requests no service claims may still reach an
   * `auth: 'anonymous'` action of a query or JSON service. @default none
   */
  claimsUnsigned?: (request: SandboxHttpRequest) => boolean;
  /** Background hooks: ticks, internal events, metric sources. @default none */
  hooks?: ServiceHooks;
}
