/** Request bodies, queries and path parameters, parsed at the edge with the protocol's schemas. */
import type { Context } from 'hono';
import type { ZodType } from 'zod';
import { DetailedError } from '../services/detailed-error.js';

type Where = 'body' | 'query' | 'params';

function parseWith<T>(schema: ZodType<T>, input: unknown, where: Where): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new DetailedError(
    'API_INVALID_REQUEST',
    first === undefined ? `the request ${where} is invalid` : `${first.path}: ${first.message}`,
    { issues },
    { hint: 'See docs/api.md for the fields this route takes.' },
  );
}

/** The JSON body, parsed with `schema`. */
export async function jsonBody<T>(c: Context, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new DetailedError(
      'API_INVALID_REQUEST',
      'the request body is not JSON',
      { issues: [{ path: 'body', message: 'must be a JSON document' }] },
      { hint: 'Send Content-Type: application/json with a JSON object.' },
    );
  }
  return parseWith(schema, body, 'body');
}

/** The query string, parsed with `schema` (values arrive as text). */
export function queryOf<T>(c: Context, schema: ZodType<T>): T {
  return parseWith(schema, c.req.query(), 'query');
}

/** A path parameter, parsed with `schema`. */
export function paramOf<T>(c: Context, name: string, schema: ZodType<T>): T {
  const value = c.req.param(name);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DetailedError(
    'API_INVALID_REQUEST',
    `params.${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    { issues: [{ path: `params.${name}`, message: parsed.error.issues[0]?.message ?? 'invalid' }] },
  );
}
