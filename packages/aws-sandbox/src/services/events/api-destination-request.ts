// The HTTP request EventBridge sends to an API destination: the endpoint with path parameters,
// the target's and the connection's parameters (the connection's win), and the auth header.
import type {
  ApiDestinationRecord,
  ConnectionHttpParameters,
  TargetRecord,
} from './events-state.js';

/** A request ready for `fetch`. */
export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Absent for GET and HEAD, which carry no body. */
  body?: string;
}

/** The headers AWS sends with every invocation (user parameters may override them). */
const DEFAULT_HEADERS: Record<string, string> = {
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'Amazon/EventBridge/ApiDestinations',
};

function withPathParameters(endpoint: string, values: readonly string[]): string {
  let index = 0;
  return endpoint.replace(/\*/g, (star) => {
    const value = values[index];
    index += 1;
    return value === undefined ? star : encodeURIComponent(value);
  });
}

function mergeBodyParameters(body: string, params: ConnectionHttpParameters): string {
  if (params.BodyParameters.length === 0) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const merged = { ...(parsed as Record<string, unknown>) };
  for (const param of params.BodyParameters) merged[param.Key] = param.Value;
  return JSON.stringify(merged);
}

/** Builds the request; `authorization` holds the auth headers of the connection. */
export function apiDestinationRequest(
  destination: ApiDestinationRecord,
  connection: ConnectionHttpParameters,
  target: TargetRecord,
  body: string,
  authorization: Record<string, string>,
): OutgoingRequest {
  const url = new URL(
    withPathParameters(
      destination.invocationEndpoint,
      target.HttpParameters?.PathParameterValues ?? [],
    ),
  );
  for (const [key, value] of Object.entries(target.HttpParameters?.QueryStringParameters ?? {})) {
    url.searchParams.set(key, value);
  }
  for (const param of connection.QueryStringParameters)
    url.searchParams.set(param.Key, param.Value);
  const headers: Record<string, string> = { ...DEFAULT_HEADERS };
  for (const [key, value] of Object.entries(target.HttpParameters?.HeaderParameters ?? {})) {
    headers[key.toLowerCase()] = value;
  }
  for (const param of connection.HeaderParameters) headers[param.Key.toLowerCase()] = param.Value;
  for (const [key, value] of Object.entries(authorization)) headers[key.toLowerCase()] = value;
  const method = destination.httpMethod;
  const carriesBody = method !== 'GET' && method !== 'HEAD';
  return {
    url: url.toString(),
    method,
    headers,
    ...(carriesBody ? { body: mergeBodyParameters(body, connection) } : {}),
  };
}
