// GetDistribution and ListDistributions.
import type { ActionDefinition } from '../../framework/service.js';
import type { CloudFrontResult } from './cloudfront-protocol.js';
import {
  cloudFrontState,
  findDistribution,
  labelledDistributionArn,
} from './distribution-lookup.js';
import { renderDistribution, renderDistributionSummary } from './distribution-render.js';
import { invalidationStatus } from './invalidation-status.js';
import { markerPage } from './list-paging.js';

/** The distribution actions. */
export const distributionActions: Record<string, ActionDefinition> = {
  GetDistribution: {
    resources: (ctx) => [labelledDistributionArn(ctx, 'Id')],
    handler: (ctx): CloudFrontResult => {
      const distribution = findDistribution(ctx, ctx.input.reqStr('Id'));
      const inProgress = distribution.invalidations.filter(
        (invalidation) => invalidationStatus(ctx.runtime, invalidation) === 'InProgress',
      ).length;
      return {
        headers: { etag: distribution.etag },
        xml: {
          root: 'Distribution',
          value: renderDistribution(ctx.accountId, distribution, inProgress),
        },
      };
    },
  },
  ListDistributions: {
    handler: (ctx): CloudFrontResult => {
      const { page, fields } = markerPage(ctx, Object.values(cloudFrontState(ctx).distributions));
      return {
        xml: {
          root: 'DistributionList',
          value: {
            ...fields,
            ...(page.length > 0
              ? {
                  Items: {
                    DistributionSummary: page.map((d) =>
                      renderDistributionSummary(ctx.accountId, d),
                    ),
                  },
                }
              : {}),
          },
        },
      };
    },
  },
};
