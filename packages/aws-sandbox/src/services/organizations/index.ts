// AWS Organizations (JSON 1.1): the organization and its accounts, read-only.
import { AwsError } from '../../framework/aws-error.js';
import { paginate } from '../../framework/pagination.js';
import type { ActionContext, ServiceDefinition } from '../../framework/service.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';

function organization(ctx: ActionContext): ActionContext['world']['organization'] {
  return ctx.world.organization;
}

/** Organizations. */
export const organizationsService: ServiceDefinition = {
  name: 'organizations',
  protocol: jsonProtocol({ targetPrefix: 'AWSOrganizationsV20161128' }),
  global: true,
  actions: {
    DescribeOrganization: {
      handler: (ctx) => {
        const org = organization(ctx);
        return {
          Organization: {
            Id: org.id,
            Arn: org.arn,
            FeatureSet: 'ALL',
            MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
            MasterAccountId: org.managementAccountId,
            MasterAccountEmail: org.managementAccountEmail,
            AvailablePolicyTypes: [],
          },
        };
      },
    },
    ListAccounts: {
      handler: (ctx) => {
        const org = organization(ctx);
        if (ctx.accountId !== org.managementAccountId) {
          throw new AwsError(
            'AccessDeniedException',
            'You don’t have permissions to access this resource. This operation can be called only from the organization’s management account.',
          );
        }
        const max = ctx.input.int('MaxResults') ?? 20;
        if (max < 1 || max > 20) {
          throw new AwsError('InvalidInputException', 'MaxResults must be between 1 and 20.', {
            fields: { Reason: 'INVALID_INPUT' },
          });
        }
        const accounts = Object.values(ctx.world.accounts);
        const { page, nextToken } = paginate(
          accounts,
          ctx.input.str('NextToken'),
          max,
          () =>
            new AwsError('InvalidInputException', 'The NextToken is not valid.', {
              fields: { Reason: 'INVALID_NEXT_TOKEN' },
            }),
        );
        return {
          Accounts: page.map((account) => ({
            Id: account.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${account.id}`,
            Email: account.email,
            Name: account.name,
            Status: 'ACTIVE',
            State: 'ACTIVE',
            JoinedMethod: account.id === org.managementAccountId ? 'INVITED' : 'CREATED',
            JoinedTimestamp: new Date(account.joinedAt),
          })),
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        };
      },
    },
  },
};
