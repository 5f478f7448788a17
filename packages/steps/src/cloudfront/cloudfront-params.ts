// CLOUDFRONT:INVALIDATE params as the executor uses them: core's catalog schema, resolved.
import { STEP_TYPES } from '@rampart/core';
import { resolvedList } from '../aws-step/resolved-values.js';
import { resolvedText } from '../params/resolve-params.js';

/** CLOUDFRONT:INVALIDATE params, resolved. */
export interface CloudFrontInvalidateParams {
  distribution_id: string;
  /** Each starts with `/`; `*` at the end matches a prefix. @default ['/*'] */
  paths: string[];
}

/** The schema of CLOUDFRONT:INVALIDATE params: core's, resolved. */
export const cloudFrontInvalidateParams = STEP_TYPES[
  'RAMPART:CLOUDFRONT:INVALIDATE'
].params.transform((raw, ctx): CloudFrontInvalidateParams => ({
  distribution_id: resolvedText(raw.distribution_id, 'distribution_id', ctx),
  paths: resolvedList(raw.paths, 'paths', ctx) ?? ['/*'],
}));
