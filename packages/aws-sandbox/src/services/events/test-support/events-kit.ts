// Test support: an EventBridge client and helpers to set up a connection, an API destination and
// a rule delivering to it.
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  type CreateConnectionCommandInput,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { clientConfig, type TestCredentials } from '../../../../tests/sdk-clients.js';
import type { Clock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';

/** An EventBridge client for a sandbox. */
export function eventBridge(
  sandbox: Sandbox,
  credentials: TestCredentials,
  clock?: Clock,
): EventBridgeClient {
  return new EventBridgeClient(clientConfig(sandbox, credentials, clock ? { clock } : {}));
}

/** The rule of the issue: alarm state changes into ALARM. */
export const ALARM_PATTERN = {
  source: ['aws.cloudwatch'],
  'detail-type': ['CloudWatch Alarm State Change'],
  detail: { state: { value: ['ALARM'] } },
};

/** A role ARN for targets (PassRole is allowed to admins). */
export function eventsRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/events-invoke`;
}

/** Creates a connection and an API destination; returns their ARNs. */
export async function apiDestination(
  events: EventBridgeClient,
  options: {
    name: string;
    endpoint: string;
    method?: 'POST' | 'PUT' | 'GET';
    auth?: Pick<CreateConnectionCommandInput, 'AuthorizationType' | 'AuthParameters'>;
  },
): Promise<{ connectionArn: string; destinationArn: string }> {
  const connection = await events.send(
    new CreateConnectionCommand({
      Name: `${options.name}-connection`,
      ...(options.auth ?? {
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret-key' },
        },
      }),
    }),
  );
  const destination = await events.send(
    new CreateApiDestinationCommand({
      Name: options.name,
      ConnectionArn: connection.ConnectionArn,
      InvocationEndpoint: options.endpoint,
      HttpMethod: options.method ?? 'POST',
    }),
  );
  return {
    connectionArn: connection.ConnectionArn ?? '',
    destinationArn: destination.ApiDestinationArn ?? '',
  };
}

/** Creates a rule with one target. */
export async function ruleTo(
  events: EventBridgeClient,
  options: { name: string; pattern: object; target: Target; state?: 'ENABLED' | 'DISABLED' },
): Promise<void> {
  await events.send(
    new PutRuleCommand({
      Name: options.name,
      EventPattern: JSON.stringify(options.pattern),
      State: options.state ?? 'ENABLED',
    }),
  );
  await events.send(new PutTargetsCommand({ Rule: options.name, Targets: [options.target] }));
}
