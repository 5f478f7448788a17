// The AWS REST-JSON protocol (Lambda): operations bound to method + URI template, members bound to
// path labels, query parameters and headers, the rest in a JSON body; errors named by
// `x-amzn-errortype`.
import { AwsError, CommonError, type CommonErrorKind } from '../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import { Input, type InputValue } from '../framework/input.js';
import type { ParsedCall, Protocol } from './protocol.js';
import { RestRouter, type RestRoute } from './rest-routes.js';

/** One operation of a REST-JSON service. */
export interface RestJsonRoute extends RestRoute {
  /** The status of a successful response (the model's `http.code`). @default 200 */
  status?: number;
  /** Query parameter → input member (`{ Qualifier: 'Qualifier' }`). @default {} */
  query?: Readonly<Record<string, string>>;
  /** Repeated query parameter → list member (`{ tagKeys: 'TagKeys' }`). @default {} */
  queryLists?: Readonly<Record<string, string>>;
  /** Lower-case header name → input member (`{ 'x-amz-log-type': 'LogType' }`). @default {} */
  headers?: Readonly<Record<string, string>>;
  /**
   * `json`: the body is a JSON object whose members join the input. `raw`: the body is the
   * operation's payload (Lambda `Invoke`), left for the handler in `ctx.request.body`.
   * @default 'json'
   */
  body?: 'json' | 'raw';
}

/** Options of {@link restJsonProtocol}. */
export interface RestJsonProtocolOptions {
  routes: readonly RestJsonRoute[];
  /** The largest accepted body. @default 10 MiB */
  maxBodyBytes?: number;
  /** The codes framework failures get where the service's differ from the defaults. @default {} */
  commonErrors?: Partial<Record<CommonErrorKind, [code: string, status: number]>>;
  /**
   * The JSON body of an error (the code travels in `x-amzn-errortype`).
   * @default `{ message, ...fields }`
   */
  errorBody?: (error: AwsError) => Record<string, unknown>;
}

const COMMON: Record<CommonErrorKind, [code: string, status: number]> = {
  UnknownAccessKey: ['UnrecognizedClientException', 403],
  InvalidSessionToken: ['UnrecognizedClientException', 403],
  BadSignature: ['InvalidSignatureException', 403],
  ExpiredToken: ['ExpiredTokenException', 403],
  RequestExpired: ['InvalidSignatureException', 403],
  PresignExpired: ['InvalidSignatureException', 403],
  MissingAuthentication: ['MissingAuthenticationTokenException', 403],
  IncompleteSignature: ['IncompleteSignatureException', 403],
  AccessDenied: ['AccessDeniedException', 403],
  Throttling: ['ThrottlingException', 429],
  InternalFailure: ['InternalFailure', 500],
  ServiceUnavailable: ['ServiceUnavailableException', 503],
  UnknownAction: ['UnknownOperationException', 404],
  MalformedInput: ['SerializationException', 400],
  MissingParameter: ['ValidationException', 400],
  InvalidParameter: ['ValidationException', 400],
  BodyTooLarge: ['RequestEntityTooLargeException', 413],
};

/** REST-JSON services send timestamps as epoch seconds unless a member says otherwise. */
function replacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Date) return original.getTime() / 1000;
  return value;
}

function parseJsonBody(request: SandboxHttpRequest): Record<string, InputValue> {
  const text = request.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CommonError('MalformedInput', 'Could not parse request body into json.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CommonError('MalformedInput', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, InputValue>;
}

/** Creates a REST-JSON protocol for one service's route table. */
export function restJsonProtocol(options: RestJsonProtocolOptions): Protocol {
  const router = new RestRouter(options.routes);
  const errorBody =
    options.errorBody ?? ((error: AwsError) => ({ message: error.message, ...error.fields }));
  return {
    name: 'rest-json',
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    doubleEscapePath: true,
    parse(request: SandboxHttpRequest): ParsedCall {
      const match = router.match(request.method, request.rawPath, request.query);
      if (!match) {
        throw new CommonError(
          'UnknownAction',
          `No operation matches ${request.method.toUpperCase()} ${request.rawPath}`,
        );
      }
      const { route, labels } = match;
      const raw: Record<string, InputValue> =
        (route.body ?? 'json') === 'json' ? parseJsonBody(request) : {};
      for (const [name, member] of Object.entries(route.query ?? {})) {
        const value = request.query.get(name);
        if (value !== null) raw[member] = value;
      }
      for (const [name, member] of Object.entries(route.queryLists ?? {})) {
        const values = request.query.getAll(name);
        if (values.length > 0) raw[member] = values;
      }
      for (const [name, member] of Object.entries(route.headers ?? {})) {
        const value = request.headers[name];
        if (value !== undefined) raw[member] = value;
      }
      Object.assign(raw, labels);
      return { action: route.action, input: new Input(raw) };
    },
    render(action: string, output: unknown, requestId: string): SandboxHttpResponse {
      const status = router.routeOf(action)?.status ?? 200;
      const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
      if (status === 204 || output === undefined) return { status, headers, body: '' };
      headers['content-type'] = 'application/json';
      return { status, headers, body: JSON.stringify(output ?? {}, replacer) };
    },
    renderError(error: AwsError, requestId: string): SandboxHttpResponse {
      return {
        status: error.status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': error.code,
          ...error.headers,
        },
        body: JSON.stringify(errorBody(error)),
      };
    },
    commonError(kind: CommonErrorKind, message: string): AwsError {
      const [code, status] = options.commonErrors?.[kind] ?? COMMON[kind];
      return new AwsError(code, message, { status });
    },
  };
}
