// Test support: templates shared by the CloudFormation tests.

/** A role CloudFormation creates, trusting Lambda, with a fixed name when given. */
export function roleTemplate(options: { roleName?: string; description?: string } = {}): string {
  return JSON.stringify({
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          ...(options.roleName !== undefined ? { RoleName: options.roleName } : {}),
          ...(options.description !== undefined ? { Description: options.description } : {}),
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'lambda.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
        },
      },
    },
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
  });
}

/** `count` placeholder resources, each depending on the previous one when `chained`. */
export function handlesTemplate(count: number, chained = false): string {
  const resources: Record<string, object> = {};
  for (let i = 0; i < count; i += 1) {
    resources[`Handle${i}`] = {
      Type: 'AWS::CloudFormation::WaitConditionHandle',
      ...(chained && i > 0 ? { DependsOn: `Handle${i - 1}` } : {}),
    };
  }
  return JSON.stringify({ Resources: resources });
}

/** 20 IAM resources: 5 × (managed policy → role → inline policy → OIDC-free placeholder). */
export function twentyResourceTemplate(): string {
  const resources: Record<string, object> = {};
  const document = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  };
  for (let i = 0; i < 5; i += 1) {
    resources[`Managed${i}`] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { PolicyDocument: document },
    };
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        ManagedPolicyArns: [{ Ref: `Managed${i}` }],
        Tags: [{ Key: 'index', Value: String(i) }],
      },
    };
    resources[`Inline${i}`] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: `inline-${i}`,
        PolicyDocument: document,
        Roles: [{ Ref: `Role${i}` }],
      },
    };
    resources[`Marker${i}`] = {
      Type: 'AWS::CloudFormation::WaitConditionHandle',
      DependsOn: `Inline${i}`,
    };
  }
  return JSON.stringify({
    Resources: resources,
    Outputs: { FirstRole: { Value: { 'Fn::GetAtt': ['Role0', 'Arn'] } } },
  });
}
