// CreateInvalidation (CallerReference idempotency, path checks, in-progress limits),
// GetInvalidation and ListInvalidations.
import { AwsError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { invalidArgument, noSuchInvalidation } from './cloudfront-errors.js';
import type { CloudFrontResult } from './cloudfront-protocol.js';
import { randomId, type DistributionRecord, type InvalidationRecord } from './cloudfront-state.js';
import { parseCloudFrontXml, xmlList, xmlText, type CloudFrontXml } from './cloudfront-xml.js';
import { findDistribution, labelledDistributionArn } from './distribution-lookup.js';
import { invalidationStatus } from './invalidation-status.js';
import { markerPage } from './list-paging.js';

const MAX_PATHS_PER_BATCH = 3000;
const MAX_FILE_PATHS_IN_PROGRESS = 3000;
const MAX_WILDCARDS_IN_PROGRESS = 15;
const MAX_PATH_LENGTH = 4000;

interface Batch {
  callerReference: string;
  paths: string[];
}

function readBatch(ctx: ActionContext): Batch {
  const text = ctx.request.body.toString('utf8');
  if (text.trim() === '') {
    throw new AwsError(
      'MissingBody',
      'This operation requires a body. Ensure that the body is present and the Content-Type header is set.',
    );
  }
  const batch = parseCloudFrontXml(text, 'InvalidationBatch');
  const callerReference = xmlText(batch, 'CallerReference');
  if (callerReference === undefined || callerReference === '') {
    throw invalidArgument('CallerReference is required.');
  }
  const pathsNode = xmlList(batch['Paths'])[0];
  const quantityText = xmlText(pathsNode, 'Quantity');
  const itemsNode =
    pathsNode !== undefined && typeof pathsNode !== 'string'
      ? xmlList(pathsNode['Items'])[0]
      : undefined;
  const items =
    itemsNode !== undefined && typeof itemsNode !== 'string' ? xmlList(itemsNode['Path']) : [];
  const paths = items.map((item) => {
    if (typeof item !== 'string') throw invalidArgument('Each Path must be text.');
    return item;
  });
  const quantity = Number(quantityText);
  if (quantityText === undefined || !Number.isInteger(quantity)) {
    throw invalidArgument('Paths.Quantity is required.');
  }
  if (quantity !== paths.length) {
    throw new AwsError(
      'InconsistentQuantities',
      "The value of Quantity and the size of Items don't match.",
    );
  }
  if (paths.length === 0) {
    throw invalidArgument('Your request contains one or more invalid invalidation paths.');
  }
  if (paths.length > MAX_PATHS_PER_BATCH) {
    throw new AwsError('BatchTooLarge', 'Invalidation batch specified is too large.', {
      status: 413,
    });
  }
  for (const path of paths) {
    const star = path.indexOf('*');
    if (
      !path.startsWith('/') ||
      path.length > MAX_PATH_LENGTH ||
      (star >= 0 && star !== path.length - 1)
    ) {
      throw invalidArgument('Your request contains one or more invalid invalidation paths.');
    }
  }
  return { callerReference, paths };
}

function sameBatch(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

function checkInProgress(
  ctx: ActionContext,
  distribution: DistributionRecord,
  paths: string[],
): void {
  const active = distribution.invalidations
    .filter((invalidation) => invalidationStatus(ctx.runtime, invalidation) === 'InProgress')
    .flatMap((invalidation) => invalidation.paths)
    .concat(paths);
  const wildcards = active.filter((path) => path.endsWith('*')).length;
  if (
    wildcards > MAX_WILDCARDS_IN_PROGRESS ||
    active.length - wildcards > MAX_FILE_PATHS_IN_PROGRESS
  ) {
    throw new AwsError(
      'TooManyInvalidationsInProgress',
      'Processing your request would cause the maximum number of in-progress invalidations to be exceeded.',
    );
  }
}

function renderInvalidation(
  ctx: ActionContext,
  invalidation: InvalidationRecord,
): { [key: string]: CloudFrontXml } {
  return {
    Id: invalidation.id,
    Status: invalidationStatus(ctx.runtime, invalidation),
    CreateTime: new Date(invalidation.createTime),
    InvalidationBatch: {
      Paths: { Quantity: invalidation.paths.length, Items: { Path: invalidation.paths } },
      CallerReference: invalidation.callerReference,
    },
  };
}

function created(
  ctx: ActionContext,
  distribution: DistributionRecord,
  invalidation: InvalidationRecord,
): CloudFrontResult {
  return {
    status: 201,
    headers: {
      location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${distribution.id}/invalidation/${invalidation.id}`,
    },
    xml: { root: 'Invalidation', value: renderInvalidation(ctx, invalidation) },
  };
}

/** The invalidation actions. */
export const invalidationActions: Record<string, ActionDefinition> = {
  CreateInvalidation: {
    validate: (ctx) => void readBatch(ctx),
    resources: (ctx) => [labelledDistributionArn(ctx, 'DistributionId')],
    handler: (ctx): CloudFrontResult => {
      const distribution = findDistribution(ctx, ctx.input.reqStr('DistributionId'));
      const batch = readBatch(ctx);
      const previous = distribution.invalidations.find(
        (invalidation) => invalidation.callerReference === batch.callerReference,
      );
      if (previous) {
        if (sameBatch(previous.paths, batch.paths)) return created(ctx, distribution, previous);
        throw new AwsError(
          'InvalidationBatchAlreadyExists',
          `An invalidation with CallerReference ${batch.callerReference} already exists with different paths.`,
          { status: 409 },
        );
      }
      checkInProgress(ctx, distribution, batch.paths);
      const invalidation: InvalidationRecord = {
        id: randomId('I', 25),
        callerReference: batch.callerReference,
        paths: batch.paths,
        createTime: ctx.clock.now().toISOString(),
      };
      distribution.invalidations.unshift(invalidation);
      return created(ctx, distribution, invalidation);
    },
  },
  GetInvalidation: {
    resources: (ctx) => [labelledDistributionArn(ctx, 'DistributionId')],
    handler: (ctx): CloudFrontResult => {
      const distribution = findDistribution(ctx, ctx.input.reqStr('DistributionId'));
      const id = ctx.input.reqStr('Id');
      const invalidation = distribution.invalidations.find((candidate) => candidate.id === id);
      if (!invalidation) throw noSuchInvalidation();
      return { xml: { root: 'Invalidation', value: renderInvalidation(ctx, invalidation) } };
    },
  },
  ListInvalidations: {
    resources: (ctx) => [labelledDistributionArn(ctx, 'DistributionId')],
    handler: (ctx): CloudFrontResult => {
      const distribution = findDistribution(ctx, ctx.input.reqStr('DistributionId'));
      const { page, fields } = markerPage(ctx, distribution.invalidations);
      return {
        xml: {
          root: 'InvalidationList',
          value: {
            ...fields,
            ...(page.length > 0
              ? {
                  Items: {
                    InvalidationSummary: page.map((invalidation) => ({
                      Id: invalidation.id,
                      CreateTime: new Date(invalidation.createTime),
                      Status: invalidationStatus(ctx.runtime, invalidation),
                    })),
                  },
                }
              : {}),
          },
        },
      };
    },
  },
};
