// Where an executor's AWS clients talk to and as whom: the stage's region and role credentials.
import type { ClientTarget } from '@rampart/aws';
import type { StepRunContext } from '@rampart/engine';

/**
 * The client target of a step: the stage's region (or `region`) and a credentials provider, not a
 * snapshot, so a long wait outlives one set of stage credentials.
 */
export function stageClientTarget(ctx: StepRunContext, region = ctx.target.region): ClientTarget {
  return {
    region,
    credentials: async () => {
      const c = await ctx.credentials();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
      };
    },
  };
}
