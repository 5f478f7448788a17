/** Who is calling the API: the token's name and role, and what its actions are recorded as. */
import type { ApiRole } from '@rampart/protocol';

export interface Caller {
  name: string;
  role: ApiRole;
  /** `token:<name>`: the actor of the deployments and operations it starts. */
  actor: string;
}

/** The caller a token name and role make. */
export function callerOf(name: string, role: ApiRole): Caller {
  return { name, role, actor: `token:${name}` };
}
