/** Tags on every taggable resource bootstrap creates: who manages it and what it belongs to. */

/** One CloudFormation tag. */
export interface CfnTag {
  Key: string;
  Value: string;
}

/** Tag keys Rampart sets. `ManagedBy` is the one a console user searches for. */
export const RAMPART_TAG_KEYS = {
  managedBy: 'ManagedBy',
  organization: 'rampart:organization',
  pipeline: 'rampart:pipeline',
  stage: 'rampart:stage',
} as const;

/** The value of `ManagedBy`. */
export const MANAGED_BY = 'Rampart';

/**
 * `ManagedBy=Rampart`, `rampart:organization=<org>`, and `rampart:pipeline` / `rampart:stage` when
 * the resource belongs to one pipeline or stage.
 */
export function rampartTags(owner: { org: string; pipeline?: string; stage?: string }): CfnTag[] {
  const tags: CfnTag[] = [
    { Key: RAMPART_TAG_KEYS.managedBy, Value: MANAGED_BY },
    { Key: RAMPART_TAG_KEYS.organization, Value: owner.org },
  ];
  if (owner.pipeline !== undefined)
    tags.push({ Key: RAMPART_TAG_KEYS.pipeline, Value: owner.pipeline });
  if (owner.stage !== undefined) tags.push({ Key: RAMPART_TAG_KEYS.stage, Value: owner.stage });
  return tags;
}
