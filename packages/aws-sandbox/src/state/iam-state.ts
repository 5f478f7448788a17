// IAM's data for one account, as plain JSON so snapshots are a deep copy.

/** A `{ Key, Value }` tag. */
export interface Tag {
  Key: string;
  Value: string;
}

/** What users and roles share: policies, boundary, tags. */
export interface IamPrincipalEntity {
  name: string;
  path: string;
  arn: string;
  /** `AIDA…` for users, `AROA…` for roles. */
  id: string;
  createDate: string;
  /** Inline policy name → policy document (JSON text). */
  inlinePolicies: Record<string, string>;
  /** ARNs of attached managed policies. */
  attachedPolicies: string[];
  permissionsBoundary?: string;
  tags: Tag[];
}

/** An IAM user. */
export type IamUser = IamPrincipalEntity;

/** An IAM role. */
export interface IamRole extends IamPrincipalEntity {
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
}

/** One version of a managed policy. */
export interface PolicyVersion {
  versionId: string;
  document: string;
  createDate: string;
}

/** A customer managed policy. */
export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
  id: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  /** Next `vN` number to hand out. */
  nextVersion: number;
  versions: PolicyVersion[];
  tags: Tag[];
}

/** An IAM OIDC identity provider. */
export interface OidcProvider {
  arn: string;
  /** The issuer without its scheme (`127.0.0.1:8080/path`). */
  url: string;
  /** The issuer as registered, with its scheme. */
  issuer: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: Tag[];
}

/** An access key of an IAM user (the secret lives in `SandboxState.credentials`). */
export interface IamAccessKeyRef {
  accessKeyId: string;
  userName: string;
}

/** All IAM data of one account. */
export interface IamAccountState {
  users: Record<string, IamUser>;
  roles: Record<string, IamRole>;
  /** Customer managed policies by ARN. */
  policies: Record<string, ManagedPolicy>;
  /** OIDC providers by ARN. */
  oidcProviders: Record<string, OidcProvider>;
}

/** An empty IAM account. */
export function emptyIamState(): IamAccountState {
  return { users: {}, roles: {}, policies: {}, oidcProviders: {} };
}
