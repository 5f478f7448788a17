// The whole in-memory world as plain data: snapshot = JSON copy, restore = replace.
import type { HealthState } from './health-model.js';
import type { IamAccountState } from './iam-state.js';

/** The part an account plays in the default organization. */
export type AccountRole = 'management' | 'cicd' | 'workload';

/** One AWS account. */
export interface AccountState {
  id: string;
  name: string;
  email: string;
  role: AccountRole;
  joinedAt: string;
  iam: IamAccountState;
  /**
   * Per-service data owned by each service: `services[service][region]`, with the region
   * `global` for global services. Services reach it through `ActionContext.state()`.
   */
  services: Record<string, Record<string, unknown>>;
}

/** Long-term keys of an IAM user. */
export interface UserCredential {
  kind: 'user';
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

/** Temporary credentials from STS. */
export interface SessionCredential {
  kind: 'session';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  expiration: string;
  /** The session policy (inline + `PolicyArns`, merged), JSON text. */
  sessionPolicy?: string;
  /** Whether the session came from a role session (role chaining). */
  chained: boolean;
  /** Session tags, applied as `aws:PrincipalTag/*`. */
  tags: { Key: string; Value: string }[];
}

/** Any credential the signature verifier knows. */
export type CredentialRecord = UserCredential | SessionCredential;

/** The organization every account belongs to. */
export interface OrganizationState {
  id: string;
  arn: string;
  managementAccountId: string;
  managementAccountEmail: string;
}

/** The whole sandbox state. */
export interface SandboxState {
  schemaVersion: 1;
  organization: OrganizationState;
  /** Accounts by id, in creation order. */
  accounts: Record<string, AccountState>;
  /** Every access key (users and sessions) by access key id. */
  credentials: Record<string, CredentialRecord>;
  /**
   * Data whose namespace spans accounts (S3 bucket names): `shared[service]`. Services reach it
   * through `ActionContext.sharedState()`.
   */
  shared: Record<string, unknown>;
  /** The health model: versions marked unhealthy through the control API. */
  health: HealthState;
}
