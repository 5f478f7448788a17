/** LAMBDA:DEPLOY and LAMBDA:INVOKE: update a function's code; call a function. */
import { z } from 'zod';
import { isDeferred, literalString, namePattern } from './deferred-value.js';
import { allow, arn, parseArn, type IamContext, type IamStatement } from './iam-statement.js';
import { text } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

const functionNameChars = /^[A-Za-z0-9_-]+$/;
const qualifierChars = /^[A-Za-z0-9$_-]+$/;

interface FunctionRef {
  /** The unqualified function ARN, or a pattern of it. */
  arn: string;
  /** A qualifier written into the name (`my-fn:live`, or a qualified ARN). */
  qualifier?: string;
}

/**
 * Lambda accepts a name, `name:qualifier`, `account:function:name`, or an ARN. A full ARN keeps its
 * own account and region (LAMBDA:INVOKE may call another account's function); the other forms are
 * in the stage's account and region.
 */
function functionRef(value: unknown, ctx: IamContext): FunctionRef {
  const literal = literalString(value);
  const build = (name: string, account = ctx.accountId, region = ctx.region): string =>
    arn(ctx.partition, 'lambda', region, account, `function:${name}`);
  if (literal === undefined) return { arn: build(namePattern(value, functionNameChars)) };
  const parsed = parseArn(literal);
  if (parsed !== undefined) {
    const [, name = '*', qualifier] = parsed.resource.split(':');
    const base = `arn:${parsed.partition}:lambda:${parsed.region}:${parsed.account}:function:${name}`;
    return qualifier === undefined ? { arn: base } : { arn: base, qualifier };
  }
  const partial = /^(\d{12}):function:([^:]+)(?::(.+))?$/.exec(literal);
  if (partial !== null) {
    const [, account, name = '*', qualifier] = partial;
    const ref = { arn: build(name, account) };
    return qualifier === undefined ? ref : { ...ref, qualifier };
  }
  const [name = '*', qualifier] = literal.split(':');
  return qualifier === undefined ? { arn: build(name) } : { arn: build(name), qualifier };
}

/** The ECR repository ARN of an image URL, when the URL is literal and on ECR. */
function ecrRepositoryArn(imageUrl: unknown, ctx: IamContext): string {
  const literal = literalString(imageUrl);
  const m =
    literal === undefined
      ? null
      : /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(literal);
  if (m === null) {
    // Lambda requires the image in the function's region; mirrored images are in the stage account.
    return arn(ctx.partition, 'ecr', ctx.region, ctx.accountId, 'repository/*');
  }
  const [, account = '', region = '', repository = ''] = m;
  return arn(ctx.partition, 'ecr', region, account, `repository/${repository}`);
}

const bucketChars = /^[a-z0-9.-]+$/;
const keyChars = /^[^*?]+$/;

const deployParams = z
  .strictObject({
    function_name: text().describe('Name or ARN of the Lambda function.'),
    s3_bucket: text()
      .optional()
      .describe('Bucket of the zip to deploy, usually `${{ stage.artifacts["Name"].s3_bucket }}`.'),
    s3_key: text()
      .optional()
      .describe('Key of the zip to deploy, usually `${{ stage.artifacts["Name"].s3_key }}`.'),
    image_url: text()
      .optional()
      .describe('Container image to deploy instead of a zip; same region as the function.'),
    alias: text()
      .optional()
      .describe('Publish a version and point this alias at it; without it, $LATEST is updated.'),
  })
  .superRefine((p, ctx) => {
    const hasBucket = p.s3_bucket !== undefined;
    const hasKey = p.s3_key !== undefined;
    const hasImage = p.image_url !== undefined;
    if (hasImage && (hasBucket || hasKey)) {
      ctx.addIssue({
        code: 'custom',
        path: ['image_url'],
        message: 'set either image_url or s3_bucket + s3_key, not both',
      });
    } else if (hasBucket && !hasKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['s3_key'],
        message: 's3_key is required with s3_bucket',
      });
    } else if (hasKey && !hasBucket) {
      ctx.addIssue({
        code: 'custom',
        path: ['s3_bucket'],
        message: 's3_bucket is required with s3_key',
      });
    } else if (!hasImage && !hasBucket) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'set s3_bucket and s3_key (a zip in S3) or image_url (a container image)',
      });
    }
  });

export const lambdaDeploy = defineStepType({
  id: 'RAMPART:LAMBDA:DEPLOY',
  description:
    "Updates a Lambda function's code from a zip in S3 or a container image, optionally publishing a version behind an alias.",
  params: deployParams,
  outputs: ['function_arn', 'version', 'previous_version'],
  rollback: { mode: 'redeploy', description: 'alias (or code) back to the last good version' },
  iam(params, ctx) {
    const fn = functionRef(params.function_name, ctx);
    const actions = [
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionCode',
    ];
    if (params.alias !== undefined) {
      actions.push(
        'lambda:PublishVersion',
        'lambda:GetAlias',
        'lambda:CreateAlias',
        'lambda:UpdateAlias',
      );
    }
    // Versions and aliases are addressed by qualified ARNs, which the unqualified ARN does not cover.
    const resources = fn.arn.endsWith('*') ? [fn.arn] : [fn.arn, `${fn.arn}:*`];
    const statements: IamStatement[] = [allow('LambdaDeployFunction', actions, resources)];
    if (params.image_url !== undefined) {
      statements.push(
        allow(
          'LambdaDeployImage',
          ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          ecrRepositoryArn(params.image_url, ctx),
        ),
      );
    } else {
      const bucket = namePattern(params.s3_bucket, bucketChars);
      const key = namePattern(params.s3_key, keyChars);
      const resource = arn(ctx.partition, 's3', '', '', `${bucket}/${key}`);
      // A bucket named only later could be anyone's: keep it to the stage's own account.
      statements.push(
        isDeferred(params.s3_bucket)
          ? allow('LambdaDeployCode', ['s3:GetObject'], resource, {
              StringEquals: { 's3:ResourceAccount': ctx.accountId },
            })
          : allow('LambdaDeployCode', ['s3:GetObject'], resource),
      );
    }
    return statements;
  },
});

const invokeParams = z.strictObject({
  function_name: text().describe('Name or ARN of the Lambda function.'),
  payload: z
    .unknown()
    .optional()
    .describe('Event passed to the function: any JSON value (a map, a list, a string, …).'),
  qualifier: text().optional().describe('Version or alias to invoke; default: $LATEST.'),
});

export const lambdaInvoke = defineStepType({
  id: 'RAMPART:LAMBDA:INVOKE',
  description: 'Invokes a Lambda function synchronously; a function error fails the step.',
  params: invokeParams,
  outputs: ['status_code', 'response'],
  rollback: { mode: 'none', description: 'none' },
  iam(params, ctx) {
    const fn = functionRef(params.function_name, ctx);
    const qualifier =
      params.qualifier === undefined ? fn.qualifier : namePattern(params.qualifier, qualifierChars);
    // An unqualified invoke is authorized against the unqualified ARN only, a qualified one
    // against the qualified ARN only.
    const resource = qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`;
    return [allow('LambdaInvoke', ['lambda:InvokeFunction'], resource)];
  },
});
