// API destinations: an HTTP endpoint, a method and a connection that authenticates the calls.
import { randomUUID } from 'node:crypto';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { checkUrl } from './connection-actions.js';
import { alreadyExists, constraintViolation, notFound, validationError } from './events-errors.js';
import { byName, eventsPage, eventsState, here, intInRange, resourceName } from './events-input.js';
import {
  apiDestinationArn,
  connectionArn,
  parseEventsArn,
  type ApiDestinationRecord,
} from './events-state.js';
import { ownValue, putOwn } from '../../state/own-record.js';

const HTTP_METHODS: readonly string[] = [
  'POST',
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'PATCH',
  'DELETE',
];
const DEFAULT_RATE_LIMIT = 300;

function findApiDestination(ctx: ActionContext, name: string): ApiDestinationRecord {
  const destination = ownValue(eventsState(ctx).apiDestinations, name);
  if (!destination) {
    throw notFound(
      `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
    );
  }
  return destination;
}

function namedDestinationArn(ctx: ActionContext): string {
  const name = resourceName(ctx);
  const destination = ownValue(eventsState(ctx).apiDestinations, name);
  return destination
    ? apiDestinationArn(here(ctx), name, destination.uuid)
    : `arn:aws:events:${ctx.region}:${ctx.accountId}:api-destination/${name}`;
}

/** The connection ARN of a call, which must name a connection of this account and region. */
function existingConnectionArn(ctx: ActionContext, arn: string): string {
  const parsed = parseEventsArn(arn);
  const connection =
    parsed?.kind === 'connection' &&
    parsed.accountId === ctx.accountId &&
    parsed.region === ctx.region
      ? ownValue(eventsState(ctx).connections, parsed.name)
      : undefined;
  if (!parsed || !connection || connection.uuid !== parsed.uuid) {
    throw notFound(`Connection '${arn}' does not exist.`);
  }
  return connectionArn(here(ctx), connection.name, connection.uuid);
}

function checkFields(ctx: ActionContext, create: boolean): void {
  resourceName(ctx);
  const endpoint = create
    ? ctx.input.reqStr('InvocationEndpoint')
    : ctx.input.str('InvocationEndpoint');
  if (endpoint !== undefined) checkUrl(endpoint, 'InvocationEndpoint');
  const method = create ? ctx.input.reqStr('HttpMethod') : ctx.input.str('HttpMethod');
  if (method !== undefined && !HTTP_METHODS.includes(method)) {
    throw constraintViolation(
      'httpMethod',
      method,
      `Member must satisfy enum value set: [${HTTP_METHODS.join(', ')}]`,
    );
  }
  if (create) ctx.input.reqStr('ConnectionArn');
  intInRange(ctx, 'InvocationRateLimitPerSecond', 1, 300);
  const description = ctx.input.str('Description');
  if (description !== undefined && description.length > 512) {
    throw validationError('Description must be at most 512 characters.');
  }
}

function describe(ctx: ActionContext, destination: ApiDestinationRecord): Record<string, unknown> {
  return {
    ApiDestinationArn: apiDestinationArn(here(ctx), destination.name, destination.uuid),
    Name: destination.name,
    ...(destination.description !== undefined ? { Description: destination.description } : {}),
    ApiDestinationState: 'ACTIVE',
    ConnectionArn: destination.connectionArn,
    InvocationEndpoint: destination.invocationEndpoint,
    HttpMethod: destination.httpMethod,
    InvocationRateLimitPerSecond: destination.invocationRateLimitPerSecond,
    CreationTime: new Date(destination.creationTime),
    LastModifiedTime: new Date(destination.lastModifiedTime),
  };
}

function brief(ctx: ActionContext, destination: ApiDestinationRecord): Record<string, unknown> {
  const { ApiDestinationArn, ApiDestinationState, CreationTime, LastModifiedTime } = describe(
    ctx,
    destination,
  );
  return { ApiDestinationArn, ApiDestinationState, CreationTime, LastModifiedTime };
}

/** The API destination actions. */
export const apiDestinationActions: Record<string, ActionDefinition> = {
  CreateApiDestination: {
    validate: (ctx) => checkFields(ctx, true),
    resources: (ctx) => [namedDestinationArn(ctx)],
    handler: (ctx) => {
      const name = resourceName(ctx);
      const destinations = eventsState(ctx).apiDestinations;
      if (Object.hasOwn(destinations, name)) {
        throw alreadyExists(`An api-destination '${name}' already exists.`);
      }
      const now = ctx.clock.now().toISOString();
      const description = ctx.input.str('Description');
      const destination: ApiDestinationRecord = {
        name,
        uuid: randomUUID(),
        ...(description !== undefined ? { description } : {}),
        connectionArn: existingConnectionArn(ctx, ctx.input.reqStr('ConnectionArn')),
        invocationEndpoint: ctx.input.reqStr('InvocationEndpoint'),
        httpMethod: ctx.input.reqStr('HttpMethod'),
        invocationRateLimitPerSecond:
          ctx.input.int('InvocationRateLimitPerSecond') ?? DEFAULT_RATE_LIMIT,
        creationTime: now,
        lastModifiedTime: now,
      };
      putOwn(destinations, name, destination);
      return brief(ctx, destination);
    },
  },
  DescribeApiDestination: {
    validate: (ctx) => void resourceName(ctx),
    resources: (ctx) => [namedDestinationArn(ctx)],
    handler: (ctx) => describe(ctx, findApiDestination(ctx, resourceName(ctx))),
  },
  UpdateApiDestination: {
    validate: (ctx) => checkFields(ctx, false),
    resources: (ctx) => [namedDestinationArn(ctx)],
    handler: (ctx) => {
      const destination = findApiDestination(ctx, resourceName(ctx));
      const connection = ctx.input.str('ConnectionArn');
      if (connection !== undefined) {
        destination.connectionArn = existingConnectionArn(ctx, connection);
      }
      const endpoint = ctx.input.str('InvocationEndpoint');
      if (endpoint !== undefined) destination.invocationEndpoint = endpoint;
      const method = ctx.input.str('HttpMethod');
      if (method !== undefined) destination.httpMethod = method;
      const rate = ctx.input.int('InvocationRateLimitPerSecond');
      if (rate !== undefined) destination.invocationRateLimitPerSecond = rate;
      const description = ctx.input.str('Description');
      if (description !== undefined) destination.description = description;
      destination.lastModifiedTime = ctx.clock.now().toISOString();
      return brief(ctx, destination);
    },
  },
  DeleteApiDestination: {
    validate: (ctx) => void resourceName(ctx),
    resources: (ctx) => [namedDestinationArn(ctx)],
    handler: (ctx) => {
      const destination = findApiDestination(ctx, resourceName(ctx));
      delete eventsState(ctx).apiDestinations[destination.name];
      return {};
    },
  },
  ListApiDestinations: {
    handler: (ctx) => {
      const prefix = ctx.input.str('NamePrefix') ?? '';
      const connection = ctx.input.str('ConnectionArn');
      const destinations = byName(
        Object.values(eventsState(ctx).apiDestinations).filter(
          (d) =>
            d.name.startsWith(prefix) &&
            (connection === undefined || d.connectionArn === connection),
        ),
      );
      const { page, nextToken } = eventsPage(ctx, destinations);
      return {
        ApiDestinations: page.map((destination) => {
          const { Description: _description, ...rest } = describe(ctx, destination);
          return rest;
        }),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
};
