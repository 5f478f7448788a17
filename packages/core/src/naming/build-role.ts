/** The IAM role a pipeline's builds run as, in the CI/CD account. */
import { resourceName } from './resource-name.js';

export interface BuildRoleNameInput {
  /**
   * The organization slug. Pass it whenever it is known, as for stage roles.
   * @default none: `rampart-<slug>-build`
   */
  org?: string;
  slug: string;
}

/**
 * `rampart-<org>-<slug>-build`, or `rampart-<slug>-build` without an org; lowercased and cut to
 * IAM's 64 characters with a hash suffix when longer, like {@link stageRoleName}. A stage named
 * `build` in the CI/CD account would get the same name; `buildPolicies` refuses that pipeline.
 */
export function buildRoleName(input: BuildRoleNameInput): string {
  const { org, slug } = input;
  return resourceName(
    'iam-role',
    org === undefined ? ['rampart', slug, 'build'] : ['rampart', org, slug, 'build'],
  );
}
