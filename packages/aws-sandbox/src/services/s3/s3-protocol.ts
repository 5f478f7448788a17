// The REST-XML protocol as S3 speaks it: path-style routing, streamed bodies, `<Error>` documents.
import type { Readable } from 'node:stream';
import { AwsError, type CommonErrorKind } from '../../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../../framework/http.js';
import { Input, type InputValue } from '../../framework/input.js';
import type { ParsedCall, Protocol } from '../../protocols/protocol.js';
import { escapeXml } from '../../protocols/xml.js';
import { parseS3Path, routeS3 } from './s3-routes.js';
import { renderS3Document, type S3XmlValue } from './s3-xml.js';

/** What an S3 handler returns; the protocol adds the request-id headers. */
export interface S3Result {
  /** @default 200 */
  status?: number;
  /** @default {} */
  headers?: Record<string, string>;
  /** A response document. */
  xml?: { root: string; value: { [key: string]: S3XmlValue } };
  /** A raw body (object data). */
  body?: string | Buffer | Readable;
}

const COMMON: Record<CommonErrorKind, [code: string, status: number]> = {
  UnknownAccessKey: ['InvalidAccessKeyId', 403],
  InvalidSessionToken: ['InvalidToken', 400],
  BadSignature: ['SignatureDoesNotMatch', 403],
  ExpiredToken: ['ExpiredToken', 400],
  RequestExpired: ['RequestTimeTooSkewed', 403],
  PresignExpired: ['AccessDenied', 403],
  MissingAuthentication: ['AccessDenied', 403],
  IncompleteSignature: ['AuthorizationHeaderMalformed', 400],
  AccessDenied: ['AccessDenied', 403],
  Throttling: ['SlowDown', 503],
  InternalFailure: ['InternalError', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
  UnknownAction: ['NotImplemented', 501],
  MalformedInput: ['MalformedXML', 400],
  MissingParameter: ['InvalidArgument', 400],
  InvalidParameter: ['InvalidArgument', 400],
  BodyTooLarge: ['EntityTooLarge', 400],
};

/** A stable stand-in for S3's extended request id (`x-amz-id-2`). */
function hostId(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}

function requestHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) };
}

function isResult(output: unknown): output is S3Result {
  return output !== null && typeof output === 'object';
}

/** The S3 protocol. */
export const s3Protocol: Protocol = {
  name: 'rest-xml',
  maxBodyBytes: undefined,
  doubleEscapePath: false,
  parse(request: SandboxHttpRequest): ParsedCall {
    const target = parseS3Path(request.rawPath);
    const action = routeS3(request, target);
    const raw: Record<string, InputValue> = {};
    for (const [name, value] of request.query.entries()) {
      if (!name.startsWith('X-Amz-') && name !== 'x-id') raw[name] = value;
    }
    raw['Bucket'] = target.bucket;
    raw['Key'] = target.key;
    return { action, input: new Input(raw) };
  },
  render(_action: string, output: unknown, requestId: string): SandboxHttpResponse {
    const result: S3Result = isResult(output) ? output : {};
    const headers = { ...requestHeaders(requestId), ...(result.headers ?? {}) };
    if (result.xml) {
      headers['content-type'] ??= 'application/xml';
      return {
        status: result.status ?? 200,
        headers,
        body: renderS3Document(result.xml.root, result.xml.value),
      };
    }
    return { status: result.status ?? 200, headers, body: result.body ?? '' };
  },
  renderError(error: AwsError, requestId: string): SandboxHttpResponse {
    const fields = Object.entries(error.fields)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('');
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message>${fields}` +
      `<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
    return {
      status: error.status,
      headers: {
        ...requestHeaders(requestId),
        'content-type': 'application/xml',
        ...error.headers,
      },
      body,
    };
  },
  commonError(kind: CommonErrorKind, message: string): AwsError {
    const [code, status] = COMMON[kind];
    return new AwsError(code, kind === 'PresignExpired' ? 'Request has expired' : message, {
      status,
    });
  },
};
