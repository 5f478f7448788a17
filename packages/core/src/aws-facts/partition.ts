/** AWS partitions: the first field after `arn:` and the reason an ARN built for GovCloud differs. */

/** The partitions Rampart deploys to. */
export const AWS_PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;

export type AwsPartition = (typeof AWS_PARTITIONS)[number];

/**
 * The partition a region belongs to, read from its code so that a region launched after this list
 * was written still yields the right ARNs: `us-gov-*` is GovCloud, `cn-*` is China, everything
 * else is the commercial partition.
 */
export function partitionOf(region: string): AwsPartition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}
