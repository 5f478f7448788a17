/** The IAM role a stage's steps run as, in the stage's account. */
import { resourceName } from './resource-name.js';

export interface StageRoleNameInput {
  /**
   * The organization slug. Pass it whenever it is known: two control planes deploying the same
   * pipeline slug into one account then get separate roles. Absent only in offline output.
   * @default none: `rampart-<slug>-<stage>`
   */
  org?: string;
  slug: string;
  stage: string;
}

/**
 * `rampart-<org>-<slug>-<stage>`, or `rampart-<slug>-<stage>` without an org; lowercased and cut
 * to IAM's 64 characters with a hash suffix when longer.
 */
export function stageRoleName(input: StageRoleNameInput): string {
  const { org, slug, stage } = input;
  const parts = org === undefined ? ['rampart', slug, stage] : ['rampart', org, slug, stage];
  return resourceName('iam-role', parts);
}
