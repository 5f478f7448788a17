import {
  AccessDeniedException,
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  InvalidEventPatternException,
  LimitExceededException,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { userWithPolicy } from '../cloudformation/test-support/cfn-sandbox.js';
import {
  ALARM_PATTERN,
  apiDestination,
  eventBridge,
  eventsRoleArn,
} from './test-support/events-kit.js';

const START = new Date('2026-03-01T10:00:00Z');
const ROLE = eventsRoleArn(DEV);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('EventBridge', () => {
  const clock = new ManualClock(START);
  let sandbox: Sandbox;
  let events: EventBridgeClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    events = eventBridge(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const putRule = (name: string, pattern: object = ALARM_PATTERN) =>
    events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));

  describe('rules', () => {
    it('creates, describes, updates and lists rules', async () => {
      const created = await events.send(
        new PutRuleCommand({
          Name: 'alarms',
          EventPattern: JSON.stringify(ALARM_PATTERN),
          Description: 'alarm changes',
        }),
      );
      expect(created.RuleArn).toBe(`arn:aws:events:us-east-1:${DEV}:rule/alarms`);
      const described = await events.send(new DescribeRuleCommand({ Name: 'alarms' }));
      expect(described).toMatchObject({
        Name: 'alarms',
        Arn: created.RuleArn,
        State: 'ENABLED',
        Description: 'alarm changes',
        EventBusName: 'default',
        CreatedBy: DEV,
      });
      expect(JSON.parse(described.EventPattern ?? '')).toEqual(ALARM_PATTERN);

      await events.send(
        new PutTargetsCommand({
          Rule: 'alarms',
          Targets: [{ Id: 't1', Arn: 'arn:aws:sqs:us-east-1:333333333333:q' }],
        }),
      );
      await events.send(
        new PutRuleCommand({ Name: 'alarms', EventPattern: '{"source":["x"]}', State: 'DISABLED' }),
      );
      const updated = await events.send(new DescribeRuleCommand({ Name: 'alarms' }));
      expect(updated.State).toBe('DISABLED');
      expect(updated.Description).toBeUndefined();
      const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: 'alarms' }));
      expect(Targets?.map((t) => t.Id)).toEqual(['t1']);

      await events.send(new EnableRuleCommand({ Name: 'alarms' }));
      expect((await events.send(new DescribeRuleCommand({ Name: 'alarms' }))).State).toBe(
        'ENABLED',
      );
      await events.send(new DisableRuleCommand({ Name: 'alarms', EventBusName: 'default' }));
      expect((await events.send(new DescribeRuleCommand({ Name: 'alarms' }))).State).toBe(
        'DISABLED',
      );

      await putRule('alarms-2');
      await putRule('other');
      await events.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'rate(1 day)' }));
      const prefixed = await events.send(new ListRulesCommand({ NamePrefix: 'alarms' }));
      expect(prefixed.Rules?.map((r) => r.Name)).toEqual(['alarms', 'alarms-2']);
      const first = await events.send(new ListRulesCommand({ Limit: 2 }));
      expect(first.Rules?.map((r) => r.Name)).toEqual(['alarms', 'alarms-2']);
      const second = await events.send(
        new ListRulesCommand({ Limit: 2, NextToken: first.NextToken }),
      );
      expect(second.Rules?.map((r) => r.Name)).toEqual(['nightly', 'other']);
      expect(second.NextToken).toBeUndefined();
      expect(second.Rules?.[0]?.ScheduleExpression).toBe('rate(1 day)');
    });

    it('refuses to delete a rule with targets, like AWS', async () => {
      await putRule('alarms');
      await events.send(
        new PutTargetsCommand({
          Rule: 'alarms',
          Targets: [{ Id: 't1', Arn: 'arn:aws:sqs:us-east-1:333333333333:q' }],
        }),
      );
      const refused = await rejection(events.send(new DeleteRuleCommand({ Name: 'alarms' })));
      expect(refused.name).toBe('ValidationException');
      expect(refused.message).toBe("Rule can't be deleted since it has targets.");
      await events.send(new RemoveTargetsCommand({ Rule: 'alarms', Ids: ['t1'] }));
      await events.send(new DeleteRuleCommand({ Name: 'alarms' }));
      expect(
        await rejection(events.send(new DescribeRuleCommand({ Name: 'alarms' }))),
      ).toBeInstanceOf(ResourceNotFoundException);
      // Deleting a rule that is gone succeeds.
      await events.send(new DeleteRuleCommand({ Name: 'alarms' }));
    });

    it('answers bad rule calls with the real exceptions', async () => {
      const bad = await rejection(
        events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":"aws.ec2"}' })),
      );
      expect(bad).toBeInstanceOf(InvalidEventPatternException);
      expect(bad.message).toMatch(/^Event pattern is not valid\. Reason: /);
      expect(
        await rejection(events.send(new PutRuleCommand({ Name: 'r', EventPattern: 'nope' }))),
      ).toBeInstanceOf(InvalidEventPatternException);
      const neither = await rejection(events.send(new PutRuleCommand({ Name: 'r' })));
      expect(neither.name).toBe('ValidationException');
      expect(neither.message).toContain('EventPattern or ScheduleExpression');
      expect(
        (
          await rejection(
            events.send(new PutRuleCommand({ Name: 'bad name', EventPattern: '{"a":[1]}' })),
          )
        ).name,
      ).toBe('ValidationException');
      expect(
        (
          await rejection(
            events.send(
              new PutRuleCommand({
                Name: 'r',
                EventPattern: '{"a":[1]}',
                State: 'ON' as 'ENABLED',
              }),
            ),
          )
        ).name,
      ).toBe('ValidationException');
      const bus = await rejection(
        events.send(
          new PutRuleCommand({ Name: 'r', EventPattern: '{"a":[1]}', EventBusName: 'custom' }),
        ),
      );
      expect(bus).toBeInstanceOf(ResourceNotFoundException);
      expect(bus.message).toBe('Event bus custom does not exist.');
      const missing = await rejection(events.send(new EnableRuleCommand({ Name: 'nope' })));
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect(missing.message).toBe('Rule nope does not exist on EventBus default.');
      expect(
        (await rejection(events.send(new ListRulesCommand({ NextToken: 'garbage' })))).name,
      ).toBe('ValidationException');
    });
  });

  describe('targets', () => {
    it('stores API destination targets with every setting and replaces them by id', async () => {
      const { destinationArn } = await apiDestination(events, {
        name: 'hook',
        endpoint: 'https://example.com/hook',
      });
      await putRule('alarms');
      const target = {
        Id: 'hook',
        Arn: destinationArn,
        RoleArn: ROLE,
        InputTransformer: {
          InputPathsMap: { alarm: '$.detail.alarmName' },
          InputTemplate: '{"alarm": <alarm>}',
        },
        HttpParameters: {
          PathParameterValues: ['a'],
          HeaderParameters: { 'x-source': 'sandbox' },
          QueryStringParameters: { q: '1' },
        },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${DEV}:dlq` },
      };
      const put = await events.send(new PutTargetsCommand({ Rule: 'alarms', Targets: [target] }));
      expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
      const listed = await events.send(new ListTargetsByRuleCommand({ Rule: 'alarms' }));
      expect(listed.Targets).toEqual([target]);

      await events.send(
        new PutTargetsCommand({
          Rule: 'alarms',
          Targets: [{ Id: 'hook', Arn: destinationArn, RoleArn: ROLE, InputPath: '$.detail' }],
        }),
      );
      const replaced = await events.send(new ListTargetsByRuleCommand({ Rule: 'alarms' }));
      expect(replaced.Targets).toEqual([
        { Id: 'hook', Arn: destinationArn, RoleArn: ROLE, InputPath: '$.detail' },
      ]);
      await events.send(new RemoveTargetsCommand({ Rule: 'alarms', Ids: ['hook'] }));
      expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'alarms' }))).Targets).toEqual(
        [],
      );
    });

    it('answers bad targets with the real exceptions', async () => {
      const { destinationArn } = await apiDestination(events, {
        name: 'hook',
        endpoint: 'https://example.com',
      });
      await putRule('alarms');
      const put = (targets: object[], rule = 'alarms') =>
        rejection(events.send(new PutTargetsCommand({ Rule: rule, Targets: targets as never })));
      const noRole = await put([{ Id: 'a', Arn: destinationArn }]);
      expect(noRole.name).toBe('ValidationException');
      expect(noRole.message).toContain('RoleArn is required');
      const both = await put([
        { Id: 'a', Arn: destinationArn, RoleArn: ROLE, Input: '{}', InputPath: '$' },
      ]);
      expect(both.message).toContain('Only one of Input, InputPath, or InputTransformer');
      expect(
        (await put([{ Id: 'a', Arn: destinationArn, RoleArn: ROLE, Input: 'not json' }])).name,
      ).toBe('ValidationException');
      expect(
        (
          await put([
            {
              Id: 'a',
              Arn: destinationArn,
              RoleArn: ROLE,
              RetryPolicy: { MaximumRetryAttempts: 186 },
            },
          ])
        ).name,
      ).toBe('ValidationException');
      expect((await put([{ Id: 'a', Arn: 'not-an-arn' }])).name).toBe('ValidationException');
      expect(await put([{ Id: 'a', Arn: destinationArn, RoleArn: ROLE }], 'nope')).toBeInstanceOf(
        ResourceNotFoundException,
      );
      const six = Array.from({ length: 6 }, (_, i) => ({
        Id: `t${i}`,
        Arn: `arn:aws:sqs:us-east-1:${DEV}:q${i}`,
      }));
      expect(await put(six)).toBeInstanceOf(LimitExceededException);
    });
  });

  describe('connections', () => {
    it('creates connections of every type and never returns their secrets', async () => {
      const created = await events.send(
        new CreateConnectionCommand({
          Name: 'key',
          Description: 'api key',
          AuthorizationType: 'API_KEY',
          AuthParameters: {
            ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'top-secret-1' },
            InvocationHttpParameters: {
              HeaderParameters: [
                { Key: 'x-plain', Value: 'visible', IsValueSecret: false },
                { Key: 'x-hidden', Value: 'top-secret-2', IsValueSecret: true },
              ],
            },
          },
        }),
      );
      expect(created.ConnectionArn).toMatch(
        new RegExp(`^arn:aws:events:us-east-1:${DEV}:connection/key/[0-9a-f-]{36}$`),
      );
      expect(created.ConnectionState).toBe('AUTHORIZED');
      expect(created.CreationTime).toEqual(START);
      await events.send(
        new CreateConnectionCommand({
          Name: 'basic',
          AuthorizationType: 'BASIC',
          AuthParameters: {
            BasicAuthParameters: { Username: 'rampart', Password: 'top-secret-3' },
          },
        }),
      );
      await events.send(
        new CreateConnectionCommand({
          Name: 'oauth',
          AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
          AuthParameters: {
            OAuthParameters: {
              AuthorizationEndpoint: 'https://auth.example.com/token',
              HttpMethod: 'POST',
              ClientParameters: { ClientID: 'client', ClientSecret: 'top-secret-4' },
            },
          },
        }),
      );
      const key = await events.send(new DescribeConnectionCommand({ Name: 'key' }));
      expect(key).toMatchObject({
        ConnectionArn: created.ConnectionArn,
        Name: 'key',
        Description: 'api key',
        ConnectionState: 'AUTHORIZED',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' },
          InvocationHttpParameters: {
            HeaderParameters: [
              { Key: 'x-plain', Value: 'visible', IsValueSecret: false },
              { Key: 'x-hidden', IsValueSecret: true },
            ],
          },
        },
      });
      expect(key.SecretArn).toMatch(
        new RegExp(
          `^arn:aws:secretsmanager:us-east-1:${DEV}:secret:events!connection/key/[0-9a-f-]{36}-[A-Za-z0-9]{6}$`,
        ),
      );
      const basic = await events.send(new DescribeConnectionCommand({ Name: 'basic' }));
      expect(basic.AuthParameters?.BasicAuthParameters).toEqual({ Username: 'rampart' });
      const oauth = await events.send(new DescribeConnectionCommand({ Name: 'oauth' }));
      expect(oauth.AuthParameters?.OAuthParameters).toMatchObject({
        ClientParameters: { ClientID: 'client' },
        AuthorizationEndpoint: 'https://auth.example.com/token',
      });
      const listed = await events.send(new ListConnectionsCommand({}));
      expect(listed.Connections?.map((c) => c.Name)).toEqual(['basic', 'key', 'oauth']);
      const everything = JSON.stringify([key, basic, oauth, listed]);
      expect(everything).not.toMatch(/top-secret/);
      expect(
        (await events.send(new ListConnectionsCommand({ NamePrefix: 'o' }))).Connections?.map(
          (c) => c.Name,
        ),
      ).toEqual(['oauth']);
    });

    it('updates and deletes connections', async () => {
      await events.send(
        new CreateConnectionCommand({
          Name: 'key',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'v1' } },
        }),
      );
      clock.advance(60_000);
      const later = eventBridge(sandbox, sandbox.credentialsFor(DEV), clock);
      const updated = await later.send(
        new UpdateConnectionCommand({
          Name: 'key',
          Description: 'rotated',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'v2' } },
        }),
      );
      expect(updated.LastModifiedTime).toEqual(new Date(START.getTime() + 60_000));
      const described = await later.send(new DescribeConnectionCommand({ Name: 'key' }));
      expect(described.Description).toBe('rotated');
      expect(described.AuthParameters?.ApiKeyAuthParameters?.ApiKeyName).toBe('x-api-key');
      const deleted = await later.send(new DeleteConnectionCommand({ Name: 'key' }));
      expect(deleted.ConnectionState).toBe('DELETING');
      const gone = await rejection(later.send(new DescribeConnectionCommand({ Name: 'key' })));
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      expect(gone.message).toBe(
        "Failed to describe the connection(s). Connection 'key' does not exist.",
      );
      clock.set(START);
    });

    it('answers bad connection calls with the real exceptions', async () => {
      const create = (input: object) =>
        rejection(events.send(new CreateConnectionCommand(input as never)));
      expect(
        (
          await create({
            Name: 'k',
            AuthorizationType: 'API_KEY',
            AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } },
          })
        ).name,
      ).toBe('ValidationException');
      expect(
        (await create({ Name: 'k', AuthorizationType: 'TOKEN', AuthParameters: {} })).name,
      ).toBe('ValidationException');
      expect(
        (
          await create({
            Name: 'k',
            AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
            AuthParameters: {
              OAuthParameters: {
                AuthorizationEndpoint: 'not a url',
                HttpMethod: 'POST',
                ClientParameters: { ClientID: 'c', ClientSecret: 's' },
              },
            },
          })
        ).name,
      ).toBe('ValidationException');
      const input = {
        Name: 'k',
        AuthorizationType: 'BASIC' as const,
        AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } },
      };
      await events.send(new CreateConnectionCommand(input));
      expect(await rejection(events.send(new CreateConnectionCommand(input)))).toBeInstanceOf(
        ResourceAlreadyExistsException,
      );
      expect(
        await rejection(events.send(new DeleteConnectionCommand({ Name: 'nope' }))),
      ).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('API destinations', () => {
    it('creates, describes, updates, lists and deletes API destinations', async () => {
      const { connectionArn, destinationArn } = await apiDestination(events, {
        name: 'hook',
        endpoint: 'https://example.com/hooks/*',
      });
      expect(destinationArn).toMatch(
        new RegExp(`^arn:aws:events:us-east-1:${DEV}:api-destination/hook/[0-9a-f-]{36}$`),
      );
      const described = await events.send(new DescribeApiDestinationCommand({ Name: 'hook' }));
      expect(described).toMatchObject({
        ApiDestinationArn: destinationArn,
        Name: 'hook',
        ApiDestinationState: 'ACTIVE',
        ConnectionArn: connectionArn,
        InvocationEndpoint: 'https://example.com/hooks/*',
        HttpMethod: 'POST',
        InvocationRateLimitPerSecond: 300,
        CreationTime: START,
      });
      await events.send(
        new UpdateApiDestinationCommand({
          Name: 'hook',
          HttpMethod: 'PUT',
          InvocationRateLimitPerSecond: 10,
        }),
      );
      const updated = await events.send(new DescribeApiDestinationCommand({ Name: 'hook' }));
      expect(updated).toMatchObject({ HttpMethod: 'PUT', InvocationRateLimitPerSecond: 10 });
      await events.send(
        new CreateApiDestinationCommand({
          Name: 'other',
          ConnectionArn: connectionArn,
          InvocationEndpoint: 'http://127.0.0.1:9/x',
          HttpMethod: 'GET',
        }),
      );
      const listed = await events.send(
        new ListApiDestinationsCommand({ ConnectionArn: connectionArn }),
      );
      expect(listed.ApiDestinations?.map((d) => d.Name)).toEqual(['hook', 'other']);
      expect(
        (
          await events.send(new ListApiDestinationsCommand({ NamePrefix: 'o' }))
        ).ApiDestinations?.map((d) => d.Name),
      ).toEqual(['other']);
      await events.send(new DeleteApiDestinationCommand({ Name: 'other' }));
      expect(
        await rejection(events.send(new DescribeApiDestinationCommand({ Name: 'other' }))),
      ).toBeInstanceOf(ResourceNotFoundException);
    });

    it('answers bad API destination calls with the real exceptions', async () => {
      const { connectionArn } = await apiDestination(events, {
        name: 'hook',
        endpoint: 'https://example.com',
      });
      const create = (input: object) =>
        rejection(
          events.send(
            new CreateApiDestinationCommand({
              Name: 'd',
              ConnectionArn: connectionArn,
              InvocationEndpoint: 'https://example.com',
              HttpMethod: 'POST',
              ...input,
            }),
          ),
        );
      expect(
        await create({ ConnectionArn: connectionArn.replace(/[0-9a-f]{12}$/, '000000000000') }),
      ).toBeInstanceOf(ResourceNotFoundException);
      expect((await create({ HttpMethod: 'TRACE' })).name).toBe('ValidationException');
      expect((await create({ InvocationEndpoint: 'ftp://example.com' })).name).toBe(
        'ValidationException',
      );
      expect((await create({ InvocationRateLimitPerSecond: 301 })).name).toBe(
        'ValidationException',
      );
      expect(await create({ Name: 'hook' })).toBeInstanceOf(ResourceAlreadyExistsException);
    });
  });

  describe('PutEvents', () => {
    it('returns an event id per accepted entry and reports failed ones', async () => {
      const result = await events.send(
        new PutEventsCommand({
          Entries: [
            { Source: 'rampart.test', DetailType: 'Deployed', Detail: '{"stage":"prod"}' },
            { Source: 'aws.cloudwatch', DetailType: 'x', Detail: '{}' },
            { Source: 'rampart.test', DetailType: 'x', Detail: 'not json' },
            { Source: 'rampart.test', Detail: '{}' },
            { Source: 'rampart.test', DetailType: 'x', Detail: '{}', EventBusName: 'custom' },
          ],
        }),
      );
      expect(result.FailedEntryCount).toBe(4);
      expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.Entries?.slice(1).map((e) => e.ErrorCode)).toEqual([
        'NotAuthorizedForSourceException',
        'MalformedDetail',
        'InvalidArgument',
        'ResourceNotFoundException',
      ]);
    });

    it('refuses empty and oversized requests', async () => {
      expect((await rejection(events.send(new PutEventsCommand({ Entries: [] })))).name).toBe(
        'ValidationException',
      );
      const big = JSON.stringify({ blob: 'x'.repeat(300 * 1024) });
      expect(
        (
          await rejection(
            events.send(
              new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: big }] }),
            ),
          )
        ).message,
      ).toBe('Total size of the entries in the request is over the limit.');
    });
  });

  describe('IAM', () => {
    it('authorizes rules, connections and PutEvents on their ARNs', async () => {
      await putRule('team-a-alarms');
      await putRule('team-b-alarms');
      const iam = new IAMClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
      const limited = eventBridge(
        sandbox,
        await userWithPolicy(iam, 'team-a', [
          {
            Effect: 'Allow',
            Action: ['events:DescribeRule', 'events:PutTargets'],
            Resource: `arn:aws:events:us-east-1:${DEV}:rule/team-a-*`,
          },
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Resource: `arn:aws:events:us-east-1:${DEV}:event-bus/default`,
            Condition: { 'ForAllValues:StringEquals': { 'events:source': 'rampart.team-a' } },
          },
          { Effect: 'Allow', Action: 'events:DescribeConnection', Resource: '*' },
        ]),
        clock,
      );
      await limited.send(new DescribeRuleCommand({ Name: 'team-a-alarms' }));
      const denied = await rejection(
        limited.send(new DescribeRuleCommand({ Name: 'team-b-alarms' })),
      );
      expect(denied).toBeInstanceOf(AccessDeniedException);
      expect(denied.message).toContain(
        `events:DescribeRule on resource: arn:aws:events:us-east-1:${DEV}:rule/team-b-alarms`,
      );
      // PutTargets with a role also needs iam:PassRole on it.
      const passRole = await rejection(
        limited.send(
          new PutTargetsCommand({
            Rule: 'team-a-alarms',
            Targets: [{ Id: 't', Arn: `arn:aws:sqs:us-east-1:${DEV}:q`, RoleArn: ROLE }],
          }),
        ),
      );
      expect(passRole).toBeInstanceOf(AccessDeniedException);
      expect(passRole.message).toContain('iam:PassRole');
      await limited.send(
        new PutEventsCommand({
          Entries: [{ Source: 'rampart.team-a', DetailType: 'd', Detail: '{}' }],
        }),
      );
      expect(
        await rejection(
          limited.send(
            new PutEventsCommand({
              Entries: [{ Source: 'rampart.team-b', DetailType: 'd', Detail: '{}' }],
            }),
          ),
        ),
      ).toBeInstanceOf(AccessDeniedException);
      await apiDestination(events, { name: 'hook', endpoint: 'https://example.com' });
      await limited.send(new DescribeConnectionCommand({ Name: 'hook-connection' }));
      expect(await rejection(limited.send(new ListConnectionsCommand({})))).toBeInstanceOf(
        AccessDeniedException,
      );
    });
  });
});
