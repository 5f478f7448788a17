// The default organization and the creation of accounts with their admin user and access role.
import type { Clock } from '../clock.js';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.js';
import { emptyIamState } from './iam-state.js';
import { derivedAccessKey, uniqueId } from './ids.js';
import type { AccountRole, AccountState, SandboxState } from './sandbox-state.js';

/** An account to create. */
export interface AccountSpec {
  /** 12 digits. */
  id: string;
  name: string;
  role: AccountRole;
  /** @default `<name>@sandbox.rampart.invalid` */
  email?: string;
}

/** The default organization: management, CI/CD and three workload accounts. */
export const DEFAULT_ACCOUNTS: readonly AccountSpec[] = [
  { id: '111111111111', name: 'management', role: 'management' },
  { id: '222222222222', name: 'cicd', role: 'cicd' },
  { id: '333333333333', name: 'dev', role: 'workload' },
  { id: '444444444444', name: 'staging', role: 'workload' },
  { id: '555555555555', name: 'prod', role: 'workload' },
];

/** The IAM user every account gets, with `AdministratorAccess`. */
export const ADMIN_USER_NAME = 'admin';

/** The role AWS Organizations creates in member accounts. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A fresh state with the given accounts (the first `management` account runs the organization). */
export function createInitialState(specs: readonly AccountSpec[], clock: Clock): SandboxState {
  const management = specs.find((spec) => spec.role === 'management');
  if (!management) throw new Error('the sandbox needs one account with role "management"');
  const orgId =
    'o-' + management.id.slice(-10).replace(/\d/g, (d) => 'abcdefghij'[Number(d)] ?? 'a');
  const state: SandboxState = {
    schemaVersion: 1,
    organization: {
      id: orgId,
      arn: `arn:aws:organizations::${management.id}:organization/${orgId}`,
      managementAccountId: management.id,
      managementAccountEmail: emailOf(management),
    },
    accounts: {},
    credentials: {},
    shared: {},
    health: { unhealthy: [] },
  };
  for (const spec of specs) addAccount(state, spec, clock);
  return state;
}

function emailOf(spec: AccountSpec): string {
  return spec.email ?? `${spec.name}@sandbox.rampart.invalid`;
}

/** Adds an account with its admin user (and `OrganizationAccountAccessRole` for members). */
export function addAccount(state: SandboxState, spec: AccountSpec, clock: Clock): AccountState {
  if (!/^\d{12}$/.test(spec.id)) throw new Error(`account id "${spec.id}" must be 12 digits`);
  if (state.accounts[spec.id]) throw new Error(`account ${spec.id} already exists`);
  if (!AWS_MANAGED_POLICIES.has(ADMIN_POLICY_ARN)) throw new Error('AdministratorAccess missing');
  const now = clock.now().toISOString();
  const account: AccountState = {
    id: spec.id,
    name: spec.name,
    email: emailOf(spec),
    role: spec.role,
    joinedAt: now,
    iam: emptyIamState(),
    services: {},
  };
  account.iam.users[ADMIN_USER_NAME] = {
    name: ADMIN_USER_NAME,
    path: '/',
    arn: `arn:aws:iam::${spec.id}:user/${ADMIN_USER_NAME}`,
    id: uniqueId('AIDA'),
    createDate: now,
    inlinePolicies: {},
    attachedPolicies: [ADMIN_POLICY_ARN],
    tags: [],
  };
  const keys = derivedAccessKey(spec.id);
  state.credentials[keys.accessKeyId] = {
    kind: 'user',
    ...keys,
    accountId: spec.id,
    userName: ADMIN_USER_NAME,
    status: 'Active',
    createDate: now,
  };
  if (spec.role !== 'management') {
    const managementId = state.organization.managementAccountId;
    account.iam.roles[ORGANIZATION_ACCESS_ROLE] = {
      name: ORGANIZATION_ACCESS_ROLE,
      path: '/',
      arn: `arn:aws:iam::${spec.id}:role/${ORGANIZATION_ACCESS_ROLE}`,
      id: uniqueId('AROA'),
      createDate: now,
      inlinePolicies: {},
      attachedPolicies: [ADMIN_POLICY_ARN],
      tags: [],
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${managementId}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    };
  }
  state.accounts[spec.id] = account;
  return account;
}

/** The admin user's access key of an account. */
export function adminCredentials(
  state: SandboxState,
  accountId: string,
): {
  accessKeyId: string;
  secretAccessKey: string;
} {
  for (const credential of Object.values(state.credentials)) {
    if (
      credential.kind === 'user' &&
      credential.accountId === accountId &&
      credential.userName === ADMIN_USER_NAME &&
      credential.status === 'Active'
    ) {
      return { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey };
    }
  }
  throw new Error(`no admin credentials for account ${accountId}`);
}
