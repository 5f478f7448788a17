// The AWS query protocol (IAM, STS, CloudFormation): form-encoded calls, XML results and errors.
import { AwsError, CommonError, type CommonErrorKind } from '../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import { Input } from '../framework/input.js';
import type { ParsedCall, Protocol } from './protocol.js';
import { queryParamsToTree } from './query-params.js';
import { escapeXml, renderXmlChildren, type XmlValue } from './xml.js';

/** Options of {@link queryProtocol}. */
export interface QueryProtocolOptions {
  /** The API version clients send (`2010-05-08` for IAM). */
  version: string;
  /** The XML namespace of responses (`https://iam.amazonaws.com/doc/2010-05-08/`). */
  xmlns: string;
  /** The largest accepted body. @default 10 MiB */
  maxBodyBytes?: number;
}

const COMMON: Record<CommonErrorKind, [code: string, status: number]> = {
  UnknownAccessKey: ['InvalidClientTokenId', 403],
  InvalidSessionToken: ['InvalidClientTokenId', 403],
  BadSignature: ['SignatureDoesNotMatch', 403],
  ExpiredToken: ['ExpiredToken', 403],
  RequestExpired: ['RequestExpired', 400],
  PresignExpired: ['RequestExpired', 400],
  MissingAuthentication: ['MissingAuthenticationToken', 403],
  IncompleteSignature: ['IncompleteSignature', 400],
  AccessDenied: ['AccessDenied', 403],
  Throttling: ['Throttling', 400],
  InternalFailure: ['InternalFailure', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
  UnknownAction: ['InvalidAction', 400],
  MalformedInput: ['MalformedQueryString', 400],
  MissingParameter: ['ValidationError', 400],
  InvalidParameter: ['ValidationError', 400],
  BodyTooLarge: ['RequestEntityTooLarge', 413],
};

/** Creates the query protocol for one service. */
export function queryProtocol(options: QueryProtocolOptions): Protocol {
  const { version, xmlns } = options;
  return {
    name: 'query',
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    doubleEscapePath: true,
    parse(request: SandboxHttpRequest): ParsedCall {
      const contentType = request.headers['content-type'] ?? '';
      const fromBody =
        request.body.length > 0 && !contentType.startsWith('application/x-www-form-urlencoded')
          ? undefined
          : new URLSearchParams(request.body.toString('utf8'));
      if (fromBody === undefined) {
        throw new CommonError('MalformedInput', `Unsupported content type: ${contentType}`);
      }
      const params = [...request.query.entries(), ...fromBody.entries()];
      const action = params.find(([key]) => key === 'Action')?.[1];
      if (action === undefined || action === '') {
        throw new CommonError('UnknownAction', 'Could not find operation for the request');
      }
      return { action, input: new Input(queryParamsToTree(params)) };
    },
    render(action: string, output: unknown, requestId: string): SandboxHttpResponse {
      const result =
        output === undefined
          ? ''
          : `<${action}Result>${renderXmlChildren(output as XmlValue)}</${action}Result>`;
      const body =
        `<${action}Response xmlns="${xmlns}">${result}` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      return { status: 200, headers: xmlHeaders(requestId), body };
    },
    renderError(error: AwsError, requestId: string): SandboxHttpResponse {
      const extra = Object.entries(error.fields)
        .map(([key, value]) => `<${key}>${escapeXml(value)}</${key}>`)
        .join('');
      const body =
        `<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.fault}</Type>` +
        `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}` +
        `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      return {
        status: error.status,
        headers: { ...xmlHeaders(requestId), ...error.headers },
        body,
      };
    },
    commonError(kind: CommonErrorKind, message: string): AwsError {
      const [code, status] = COMMON[kind];
      const text = kind === 'UnknownAction' ? `${message} (version ${version})` : message;
      return new AwsError(code, text, { status });
    },
  };
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
}
