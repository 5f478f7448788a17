// The AWS managed policies the sandbox knows (`arn:aws:iam::aws:policy/…`).

/** An AWS managed policy. */
export interface AwsManagedPolicy {
  arn: string;
  name: string;
  id: string;
  document: string;
}

/** Services whose read actions `ReadOnlyAccess` grants (AWS's real policy lists every service). */
const READ_ONLY_SERVICES = [
  'cloudformation',
  'cloudfront',
  'cloudwatch',
  'ecr',
  'ecs',
  'events',
  'iam',
  'kms',
  'lambda',
  'logs',
  'organizations',
  's3',
  'secretsmanager',
  'sts',
];

const doc = (statement: object): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

/** AWS managed policies by ARN. */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, AwsManagedPolicy> = new Map(
  [
    {
      arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      name: 'AdministratorAccess',
      id: 'ANPAIWMBCKSKIEE64ZLYK',
      document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    },
    {
      arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      name: 'ReadOnlyAccess',
      id: 'ANPAILL3HVNFSB6DCOWYQ',
      document: doc({
        Effect: 'Allow',
        Action: READ_ONLY_SERVICES.flatMap((service) => [
          `${service}:Describe*`,
          `${service}:Get*`,
          `${service}:List*`,
        ]),
        Resource: '*',
      }),
    },
  ].map((policy) => [policy.arn, policy]),
);
