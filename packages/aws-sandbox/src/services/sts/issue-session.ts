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

/** Sessions expired this long ago are forgotten (their callers get `InvalidClientTokenId` then). */
const SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Keeps long demos and snapshots from accumulating dead sessions. */
function pruneExpiredSessions(ctx: ActionContext): void {
  const horizon = ctx.clock.now().getTime() - SESSION_RETENTION_MS;
  for (const [id, credential] of Object.entries(ctx.world.credentials)) {
    if (credential.kind === 'session' && new Date(credential.expiration).getTime() < horizon) {
      delete ctx.world.credentials[id];
    }
  }
}

/** Stores a session credential and returns `Credentials` + `AssumedRoleUser`. */
export function issueSession(ctx: ActionContext, request: SessionRequest): Record<string, unknown> {
  pruneExpiredSessions(ctx);
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
