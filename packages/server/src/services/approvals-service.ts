/** Approvals waiting for a person, across the registered pipelines (`rampart approvals`). */
import { createHash } from 'node:crypto';
import type { PendingApproval } from '@rampart/engine';
import type * as api from '@rampart/protocol';
import { toApproval } from './deployment-views.js';
import { requirePipeline } from './pipelines-service.js';
import type { ServerContext } from './server-context.js';

/** Approve and reject are operations, which need this role (see api-routes.ts). */
const APPROVER_ROLE = 'deployer';

/**
 * The approvals waiting in one pipeline (`pipeline` given; it must be registered) or in every
 * registered one, oldest first: one read of each pipeline's engine state, nothing else.
 */
export async function listApprovals(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  pipeline: string | undefined,
): Promise<api.PendingApprovalInfo[]> {
  const slugs =
    pipeline === undefined
      ? (await ctx.store.pipelines.list()).map((p) => p.slug)
      : [(await requirePipeline(ctx, pipeline)).slug];
  const approvals: api.PendingApprovalInfo[] = [];
  for (const slug of slugs) {
    const state = await ctx.runtime.getPipelineState(slug);
    for (const approval of state?.approvals ?? []) {
      approvals.push({
        ...toApproval(approval),
        id: approvalId(approval),
        pipeline: slug,
        approverRole: APPROVER_ROLE,
      });
    }
  }
  return approvals.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
}

/** A short stable name of one wait; a new wait of the same step (asked again) gets a new one. */
export function approvalId(approval: PendingApproval): string {
  return createHash('sha256')
    .update([approval.deploymentId, approval.stage, approval.step, approval.since].join('\n'))
    .digest('hex')
    .slice(0, 12);
}
