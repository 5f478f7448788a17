/** CLOUDFRONT:INVALIDATE: drop cached paths from a distribution. */
import { z } from 'zod';
import { namePattern } from './deferred-value.js';
import { allow, arn } from './iam-statement.js';
import { exprOr, patternedText } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

const params = z.strictObject({
  distribution_id: patternedText(
    /^[A-Z0-9]{8,20}$/,
    'a distribution id such as E2QWRUHAPOMQZL',
  ).describe('Id of the CloudFront distribution.'),
  paths: exprOr(
    z
      .array(patternedText(/^\/.*$/, 'a path starting with "/"'))
      .min(1, { error: 'list at least one path' }),
    'a list of paths',
  )
    .default(['/*'])
    .describe('Paths to invalidate, each starting with "/"; `*` at the end matches a prefix.'),
});

export const cloudfrontInvalidate = defineStepType({
  id: 'RAMPART:CLOUDFRONT:INVALIDATE',
  description:
    'Invalidates paths in a CloudFront distribution and waits for the invalidation to complete.',
  params,
  outputs: ['invalidation_id'],
  rollback: { mode: 'none', description: 'none' },
  iam(p, ctx) {
    // CloudFront is global: its ARNs carry no region.
    const id = namePattern(p.distribution_id, /^[A-Z0-9]+$/);
    return [
      allow(
        'CloudFrontInvalidate',
        ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        arn(ctx.partition, 'cloudfront', '', ctx.accountId, `distribution/${id}`),
      ),
    ];
  },
});
