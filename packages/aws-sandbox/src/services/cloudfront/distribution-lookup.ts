// Finding a distribution of the caller's account (distributions are per account, as in AWS).
import type { ActionContext } from '../../framework/service.js';
import { noSuchDistribution } from './cloudfront-errors.js';
import {
  distributionArn,
  initCloudFrontState,
  type CloudFrontState,
  type DistributionRecord,
} from './cloudfront-state.js';

/** The caller's CloudFront state. */
export function cloudFrontState(ctx: ActionContext): CloudFrontState {
  return ctx.state(initCloudFrontState);
}

/** The distribution `id`, or `NoSuchDistribution`. */
export function findDistribution(ctx: ActionContext, id: string): DistributionRecord {
  const { distributions } = cloudFrontState(ctx);
  const distribution = Object.hasOwn(distributions, id) ? distributions[id] : undefined;
  if (!distribution) throw noSuchDistribution();
  return distribution;
}

/** The ARN a call on distribution `label` (the input member) is authorized on. */
export function labelledDistributionArn(ctx: ActionContext, label: string): string {
  return distributionArn(ctx.accountId, ctx.input.reqStr(label));
}
