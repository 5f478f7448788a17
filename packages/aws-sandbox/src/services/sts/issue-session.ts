// Mints temporary credentials for a role session and renders STS's response fields.
import type { ActionContext } from '../../framework/service.js';
import { newAccessKey, newSessionToken } from '../../state/ids.js';
import type { IamRole } from '../../state/iam-state.js';

/** What a new session needs. */
export interface SessionRequest {
  accountId: string;
  role: IamRole;
  sessionName: string;
  durationSeconds: number;
  sessionPolicy: string | undefined;
  chained: boolean;
  tags: { Key: string; Value: string }[];
}

/** Stores a session credential and returns `Credentials` + `AssumedRoleUser`. */
export function issueSession(ctx: ActionContext, request: SessionRequest): Record<string, unknown> {
  const keys = newAccessKey('ASIA');
  const sessionToken = newSessionToken();
  const expiration = new Date(ctx.clock.now().getTime() + request.durationSeconds * 1000);
  ctx.world.credentials[keys.accessKeyId] = {
    kind: 'session',
    ...keys,
    sessionToken,
    accountId: request.accountId,
    roleName: request.role.name,
    roleId: request.role.id,
    sessionName: request.sessionName,
    expiration: expiration.toISOString(),
    chained: request.chained,
    tags: request.tags,
    ...(request.sessionPolicy !== undefined ? { sessionPolicy: request.sessionPolicy } : {}),
  };
  return {
    Credentials: {
      AccessKeyId: keys.accessKeyId,
      SecretAccessKey: keys.secretAccessKey,
      SessionToken: sessionToken,
      Expiration: expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: `${request.role.id}:${request.sessionName}`,
      Arn: `arn:aws:sts::${request.accountId}:assumed-role/${request.role.name}/${request.sessionName}`,
    },
    ...(request.sessionPolicy !== undefined
      ? { PackedPolicySize: Math.min(100, Math.ceil((request.sessionPolicy.length / 2048) * 100)) }
      : {}),
  };
}
