/** CLOUDFORMATION:DEPLOY (ext): create or update a stack from a template in the repository. */
import { z } from 'zod';
import { isDeferred, literalString, namePattern } from './deferred-value.js';
import { allow, arn, parseArn, type IamStatement } from './iam-statement.js';
import { exprOr, freeMap, patternedText, text } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

/** Acknowledgements a template may need (IAM resources, macros). */
export const CLOUDFORMATION_CAPABILITIES = [
  'CAPABILITY_IAM',
  'CAPABILITY_NAMED_IAM',
  'CAPABILITY_AUTO_EXPAND',
] as const;

const stackNamePattern = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

const params = z.strictObject({
  template: text().describe(
    'Path of the template (YAML or JSON), relative to the repository root.',
  ),
  stack_name: patternedText(
    new RegExp(`${stackNamePattern.source}|^arn:[a-z-]+:cloudformation:.+:stack/.+$`),
    'a stack name (a letter, then letters, digits and hyphens, at most 128) or a stack ARN',
  ).describe('Name of the stack to create or update.'),
  parameters: freeMap().optional().describe('Template parameters, by name.'),
  capabilities: exprOr(
    z.array(z.enum(CLOUDFORMATION_CAPABILITIES)),
    `a list of ${CLOUDFORMATION_CAPABILITIES.join(', ')}`,
  )
    .optional()
    .describe(
      'Capabilities to acknowledge: CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND.',
    ),
  tags: freeMap().optional().describe('Tags set on the stack and propagated to its resources.'),
});

export const cloudformationDeploy = defineStepType({
  id: 'RAMPART:CLOUDFORMATION:DEPLOY',
  description:
    'Creates or updates a CloudFormation stack through a change set and waits for it to finish.',
  params,
  outputs: 'any',
  rollback: {
    mode: 'redeploy',
    description: 'stack back to the last good template and parameters',
  },
  // Stack operations only. CloudFormation creates the template's resources with the stage role's
  // own credentials, so those permissions come from aws_additional_iam_policies.
  iam(p, ctx) {
    const literal = literalString(p.stack_name);
    const name =
      literal === undefined
        ? namePattern(p.stack_name, /^[A-Za-z0-9-]+$/)
        : (parseArn(literal)?.resource.split('/')[1] ?? literal);
    const stackArn = arn(
      ctx.partition,
      'cloudformation',
      ctx.region,
      ctx.accountId,
      `stack/${name}/*`,
    );
    const actions = [
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:GetTemplate',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:ExecuteChangeSet',
      'cloudformation:DeleteChangeSet',
    ];
    if (p.tags !== undefined) actions.push('cloudformation:TagResource');
    const statements: IamStatement[] = [allow('CfnDeployStack', actions, stackArn)];
    // Macros such as AWS::Serverless are authorized on the transform's own ARN.
    const capabilities = p.capabilities;
    if (isDeferred(capabilities) || capabilities?.includes('CAPABILITY_AUTO_EXPAND') === true) {
      statements.push(
        allow(
          'CfnDeployTransforms',
          ['cloudformation:CreateChangeSet'],
          arn(ctx.partition, 'cloudformation', ctx.region, 'aws', 'transform/*'),
        ),
      );
    }
    return statements;
  },
});
