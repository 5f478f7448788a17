// LAMBDA:DEPLOY and LAMBDA:INVOKE params as the executors use them: core's catalog schemas,
// resolved.
import { STEP_TYPES } from '@rampart/core';
import type { JsonValue } from '@rampart/engine';
import { resolvedJson } from '../aws-step/resolved-values.js';
import { resolvedText } from '../params/resolve-params.js';

/** Where LAMBDA:DEPLOY takes the code from. */
export type LambdaCode =
  { kind: 'zip'; bucket: string; key: string } | { kind: 'image'; imageUrl: string };

/** LAMBDA:DEPLOY params, resolved. */
export interface LambdaDeployParams {
  /** A name, a partial or a full ARN, without a qualifier. */
  function_name: string;
  s3_bucket?: string;
  s3_key?: string;
  image_url?: string;
  /** Publish a version and point this alias at it. @default none: only $LATEST is updated */
  alias?: string;
}

/** LAMBDA:INVOKE params, resolved. */
export interface LambdaInvokeParams {
  function_name: string;
  /** The event, any JSON value. @default {} */
  payload?: JsonValue;
  /** A version or alias. @default $LATEST */
  qualifier?: string;
}

/** The schema of LAMBDA:DEPLOY params: core's, resolved. */
export const lambdaDeployParams = STEP_TYPES['RAMPART:LAMBDA:DEPLOY'].params.transform(
  (raw, ctx): LambdaDeployParams => {
    const params: LambdaDeployParams = {
      function_name: resolvedText(raw.function_name, 'function_name', ctx),
    };
    if (raw.s3_bucket !== undefined)
      params.s3_bucket = resolvedText(raw.s3_bucket, 's3_bucket', ctx);
    if (raw.s3_key !== undefined) params.s3_key = resolvedText(raw.s3_key, 's3_key', ctx);
    if (raw.image_url !== undefined)
      params.image_url = resolvedText(raw.image_url, 'image_url', ctx);
    if (raw.alias !== undefined) params.alias = resolvedText(raw.alias, 'alias', ctx);
    return params;
  },
);

/** The code LAMBDA:DEPLOY params name (the schema guarantees exactly one source). */
export function lambdaCode(params: LambdaDeployParams): LambdaCode {
  if (params.image_url !== undefined) return { kind: 'image', imageUrl: params.image_url };
  return { kind: 'zip', bucket: params.s3_bucket ?? '', key: params.s3_key ?? '' };
}

/** The schema of LAMBDA:INVOKE params: core's, resolved (the payload to its deepest string). */
export const lambdaInvokeParams = STEP_TYPES['RAMPART:LAMBDA:INVOKE'].params.transform(
  (raw, ctx): LambdaInvokeParams => {
    const params: LambdaInvokeParams = {
      function_name: resolvedText(raw.function_name, 'function_name', ctx),
    };
    if (raw.payload !== undefined) params.payload = resolvedJson(raw.payload, ['payload'], ctx);
    if (raw.qualifier !== undefined)
      params.qualifier = resolvedText(raw.qualifier, 'qualifier', ctx);
    return params;
  },
);
