// The AWS JSON 1.0/1.1 protocols (KMS, Secrets Manager, Organizations, CloudWatch): `X-Amz-Target`
// + JSON bodies.
import { AwsError, CommonError, type CommonErrorKind } from '../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import { Input, type InputValue } from '../framework/input.js';
import type { ParsedCall, Protocol } from './protocol.js';

/** Options of {@link jsonProtocol}. */
export interface JsonProtocolOptions {
  /** The `X-Amz-Target` prefix (`AWSOrganizationsV20161128`, `TrentService`, `secretsmanager`). */
  targetPrefix: string;
  /** The largest accepted body. @default 10 MiB */
  maxBodyBytes?: number;
  /** The JSON content type. @default 'application/x-amz-json-1.1' */
  contentType?: string;
  /**
   * The service is `awsQueryCompatible` (CloudWatch, SQS): every error also carries
   * `x-amzn-query-error: <query code>;<Sender|Receiver>`, which SDKs read to raise the same code
   * query-protocol clients saw. `queryCodes` maps a JSON error code to its query code
   * (`InvalidParameterValueException` → `InvalidParameterValue`); unlisted codes are sent as they are.
   * @default undefined (no header)
   */
  awsQueryCompatible?: { queryCodes?: Readonly<Record<string, string>> };
  /**
   * The codes framework failures get where the service's differ from JSON 1.1's (CloudWatch
   * answers a missing parameter with `MissingRequiredParameterException`).
   * @default {} (the JSON 1.1 codes)
   */
  commonErrors?: Partial<Record<CommonErrorKind, [code: string, status: number]>>;
}

const COMMON: Record<CommonErrorKind, [code: string, status: number]> = {
  UnknownAccessKey: ['UnrecognizedClientException', 400],
  InvalidSessionToken: ['UnrecognizedClientException', 400],
  BadSignature: ['InvalidSignatureException', 400],
  ExpiredToken: ['ExpiredTokenException', 400],
  RequestExpired: ['InvalidSignatureException', 400],
  PresignExpired: ['InvalidSignatureException', 400],
  MissingAuthentication: ['MissingAuthenticationTokenException', 400],
  IncompleteSignature: ['IncompleteSignatureException', 400],
  AccessDenied: ['AccessDeniedException', 400],
  Throttling: ['ThrottlingException', 400],
  InternalFailure: ['InternalFailure', 500],
  ServiceUnavailable: ['ServiceUnavailableException', 503],
  UnknownAction: ['UnknownOperationException', 400],
  MalformedInput: ['SerializationException', 400],
  MissingParameter: ['ValidationException', 400],
  InvalidParameter: ['ValidationException', 400],
  BodyTooLarge: ['RequestEntityTooLargeException', 413],
};

/** JSON protocols send timestamps as epoch seconds. */
function replacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Date) return original.getTime() / 1000;
  return value;
}

/** Creates the JSON 1.1 protocol for one service. */
export function jsonProtocol(options: JsonProtocolOptions): Protocol {
  const contentType = options.contentType ?? 'application/x-amz-json-1.1';
  const headers = (requestId: string): Record<string, string> => ({
    'content-type': contentType,
    'x-amzn-requestid': requestId,
  });
  return {
    name: 'json',
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    doubleEscapePath: true,
    parse(request: SandboxHttpRequest): ParsedCall {
      const target = request.headers['x-amz-target'] ?? '';
      const dot = target.lastIndexOf('.');
      if (dot < 0 || target.slice(0, dot) !== options.targetPrefix) {
        throw new CommonError('UnknownAction', `Unrecognized operation: ${target || '(none)'}`);
      }
      const action = target.slice(dot + 1);
      const text = request.body.toString('utf8').trim();
      let parsed: unknown = {};
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new CommonError(
            'MalformedInput',
            'Start of structure or map found where not expected.',
          );
        }
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new CommonError('MalformedInput', 'The request body must be a JSON object.');
      }
      return { action, input: new Input(parsed as Record<string, InputValue>) };
    },
    render(_action: string, output: unknown, requestId: string): SandboxHttpResponse {
      return {
        status: 200,
        headers: headers(requestId),
        body: JSON.stringify(output ?? {}, replacer),
      };
    },
    renderError(error: AwsError, requestId: string): SandboxHttpResponse {
      const body = JSON.stringify({ __type: error.code, message: error.message, ...error.fields });
      const queryCompatible = options.awsQueryCompatible;
      const queryError: Record<string, string> = {};
      if (queryCompatible !== undefined) {
        const queryCode = queryCompatible.queryCodes?.[error.code] ?? error.code;
        queryError['x-amzn-query-error'] = `${queryCode};${error.fault}`;
      }
      return {
        status: error.status,
        headers: {
          ...headers(requestId),
          'x-amzn-errortype': error.code,
          ...queryError,
          ...error.headers,
        },
        body,
      };
    },
    commonError(kind: CommonErrorKind, message: string): AwsError {
      const [code, status] = options.commonErrors?.[kind] ?? COMMON[kind];
      return new AwsError(code, message, { status });
    },
  };
}
