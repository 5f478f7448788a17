// CloudWatch speaks two protocols: AWS JSON 1.0 with query-compatible errors (SDK v3, aws-sdk-go-v2
// and so terraform), and the query protocol it was born with (AWS CLI v2 up to 2.2x, as Debian
// ships it). The request's `X-Amz-Target` header tells them apart. Both accept gzip bodies, which
// SDKs send for large PutMetricData calls (the operation's `requestCompression` trait).
import { gunzipSync } from 'node:zlib';
import { AwsError, CommonError, type CommonErrorKind } from '../../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../../framework/http.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import type { Protocol } from '../../protocols/protocol.js';
import { queryProtocol } from '../../protocols/query-protocol.js';
import { escapeXml } from '../../protocols/xml.js';
import { QUERY_ERROR_CODES } from './cloudwatch-errors.js';

const VERSION = '2010-08-01';
const XMLNS = `http://monitoring.amazonaws.com/doc/${VERSION}/`;

/** Framework failures in CloudWatch's own JSON codes. */
const JSON_COMMON: Partial<Record<CommonErrorKind, [code: string, status: number]>> = {
  MissingParameter: ['MissingRequiredParameterException', 400],
  InvalidParameter: ['InvalidParameterValueException', 400],
};

/** The same failures in query codes. */
const QUERY_COMMON: Partial<Record<CommonErrorKind, string>> = {
  MissingParameter: 'MissingParameter',
  InvalidParameter: 'InvalidParameterValue',
};

/** Output members that are maps: the query protocol writes them as `entry`/`key`/`value`. */
const MAP_MEMBERS = new Set(['ExtendedStatistics']);

/** Renders output as query XML: lists as `member`, maps as `entry`, times as ISO 8601. */
function renderQueryXml(value: unknown, asMap = false): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value.map((item) => `<member>${renderQueryXml(item)}</member>`).join('');
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out += asMap
        ? `<entry><key>${escapeXml(key)}</key><value>${renderQueryXml(child)}</value></entry>`
        : `<${key}>${renderQueryXml(child, MAP_MEMBERS.has(key))}</${key}>`;
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return escapeXml(String(value));
  }
  return '';
}

/** The largest body accepted after decompression. */
const MAX_DECODED_BYTES = 10 * 1024 * 1024;

/** The request with its body gunzipped when it is sent with `Content-Encoding: gzip`. */
export function decodedRequest(request: SandboxHttpRequest): SandboxHttpRequest {
  const encodings = (request.headers['content-encoding'] ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase());
  if (!encodings.includes('gzip')) return request;
  try {
    return { ...request, body: gunzipSync(request.body, { maxOutputLength: MAX_DECODED_BYTES }) };
  } catch (error: unknown) {
    if (error instanceof RangeError) {
      throw new CommonError('BodyTooLarge', 'The decompressed request body is too large.');
    }
    throw new CommonError('MalformedInput', 'The request body is not valid gzip data.');
  }
}

const jsonBase = jsonProtocol({
  targetPrefix: 'GraniteServiceVersion20100801',
  // PutMetricData's limit, the largest request CloudWatch takes.
  maxBodyBytes: 1024 * 1024,
  contentType: 'application/x-amz-json-1.0',
  awsQueryCompatible: { queryCodes: QUERY_ERROR_CODES },
  commonErrors: JSON_COMMON,
});

const json: Protocol = {
  ...jsonBase,
  parse: (request) => jsonBase.parse(decodedRequest(request)),
};

const baseQuery = queryProtocol({ version: VERSION, xmlns: XMLNS });

const query: Protocol = {
  ...baseQuery,
  parse: (request) => baseQuery.parse(decodedRequest(request)),
  render(action: string, output: unknown, requestId: string): SandboxHttpResponse {
    const result =
      output === undefined ? '' : `<${action}Result>${renderQueryXml(output)}</${action}Result>`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<${action}Response xmlns="${XMLNS}">${result}` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    };
  },
  renderError(error: AwsError, requestId: string): SandboxHttpResponse {
    const code = QUERY_ERROR_CODES[error.code] ?? error.code;
    if (code === error.code) return baseQuery.renderError(error, requestId);
    const renamed = new AwsError(code, error.message, {
      status: error.status,
      fault: error.fault,
      headers: error.headers,
      fields: error.fields,
    });
    return baseQuery.renderError(renamed, requestId);
  },
  commonError(kind: CommonErrorKind, message: string): AwsError {
    const code = QUERY_COMMON[kind];
    return code === undefined ? baseQuery.commonError(kind, message) : new AwsError(code, message);
  },
};

/** CloudWatch's protocol: JSON 1.0 when the request names an `X-Amz-Target`, else query. */
export const cloudWatchProtocol: Protocol = {
  ...json,
  forRequest: (request) => (request.headers['x-amz-target'] !== undefined ? json : query),
};
