// EventBridge's plain-data state per account and region: the default bus's rules and their
// targets, connections (with their secrets) and API destinations.

/** The signing name and state key of EventBridge. */
export const EVENTS_SERVICE = 'events';

/** The only bus the sandbox emulates. */
export const DEFAULT_BUS = 'default';

/** Rule states. */
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** A target as PutTargets stored it. */
export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  HttpParameters?: {
    PathParameterValues?: string[];
    HeaderParameters?: Record<string, string>;
    QueryStringParameters?: Record<string, string>;
  };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
}

/** One rule on the default bus. */
export interface RuleRecord {
  name: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  /** The account that created the rule. */
  createdBy: string;
  targets: TargetRecord[];
}

/** One key/value HTTP parameter of a connection. */
export interface ConnectionParameter {
  Key: string;
  Value: string;
  IsValueSecret: boolean;
}

/** Extra HTTP parameters a connection adds to every call. */
export interface ConnectionHttpParameters {
  HeaderParameters: ConnectionParameter[];
  QueryStringParameters: ConnectionParameter[];
  BodyParameters: ConnectionParameter[];
}

/** Connection authorization types. */
export type AuthorizationType = 'API_KEY' | 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS';

/** A connection's credentials (kept here; AWS keeps them in a Secrets Manager secret). */
export interface ConnectionAuth {
  apiKey?: { name: string; value: string };
  basic?: { username: string; password: string };
  oauth?: {
    clientId: string;
    clientSecret: string;
    authorizationEndpoint: string;
    httpMethod: string;
    httpParameters: ConnectionHttpParameters;
  };
  invocation: ConnectionHttpParameters;
}

/** One connection. */
export interface ConnectionRecord {
  name: string;
  uuid: string;
  description?: string;
  authorizationType: AuthorizationType;
  auth: ConnectionAuth;
  kmsKeyIdentifier?: string;
  /** The name AWS gives the connection's secret (for `SecretArn`). */
  secretSuffix: string;
  creationTime: string;
  lastModifiedTime: string;
  lastAuthorizedTime: string;
}

/** One API destination. */
export interface ApiDestinationRecord {
  name: string;
  uuid: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  invocationRateLimitPerSecond: number;
  creationTime: string;
  lastModifiedTime: string;
}

/** The EventBridge state of one account and region. */
export interface EventsState {
  rules: Record<string, RuleRecord>;
  connections: Record<string, ConnectionRecord>;
  apiDestinations: Record<string, ApiDestinationRecord>;
}

/** A fresh, empty state. */
export function initEventsState(): EventsState {
  return { rules: {}, connections: {}, apiDestinations: {} };
}

/** Where a resource lives. */
export interface EventsLocation {
  accountId: string;
  region: string;
}

/** `arn:aws:events:<region>:<account>:rule/<name>` (rules on the default bus). */
export function ruleArn(where: EventsLocation, name: string): string {
  return `arn:aws:events:${where.region}:${where.accountId}:rule/${name}`;
}

/** `arn:aws:events:<region>:<account>:event-bus/default`. */
export function busArn(where: EventsLocation): string {
  return `arn:aws:events:${where.region}:${where.accountId}:event-bus/${DEFAULT_BUS}`;
}

/** `arn:aws:events:<region>:<account>:connection/<name>/<uuid>`. */
export function connectionArn(where: EventsLocation, name: string, uuid: string): string {
  return `arn:aws:events:${where.region}:${where.accountId}:connection/${name}/${uuid}`;
}

/** `arn:aws:events:<region>:<account>:api-destination/<name>/<uuid>`. */
export function apiDestinationArn(where: EventsLocation, name: string, uuid: string): string {
  return `arn:aws:events:${where.region}:${where.accountId}:api-destination/${name}/${uuid}`;
}

/** A parsed connection or API destination ARN. */
export interface ParsedEventsArn extends EventsLocation {
  kind: 'connection' | 'api-destination';
  name: string;
  uuid: string;
}

const RESOURCE_ARN =
  /^arn:aws:events:([a-z0-9-]+):(\d{12}):(connection|api-destination)\/([.\-_A-Za-z0-9]+)\/([0-9a-f-]+)(?:\/\*)?$/;

/** Parses a connection or API destination ARN (an optional `/*` suffix is accepted). */
export function parseEventsArn(arn: string): ParsedEventsArn | undefined {
  const match = RESOURCE_ARN.exec(arn);
  if (!match?.[1] || !match[2] || !match[4] || !match[5]) return undefined;
  return {
    region: match[1],
    accountId: match[2],
    kind: match[3] === 'connection' ? 'connection' : 'api-destination',
    name: match[4],
    uuid: match[5],
  };
}
