// CloudFront's REST-XML protocol: the 2020-05-31 routes, XML documents, and errors in
// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
import { AwsError, CommonError, type CommonErrorKind } from '../../framework/aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../../framework/http.js';
import { Input, type InputValue } from '../../framework/input.js';
import type { ParsedCall, Protocol } from '../../protocols/protocol.js';
import { RestRouter, type RestRoute } from '../../protocols/rest-routes.js';
import { escapeXml } from '../../protocols/xml.js';
import {
  CLOUDFRONT_XMLNS,
  renderCloudFrontDocument,
  type CloudFrontXml,
} from './cloudfront-xml.js';

const DISTRIBUTION = '/2020-05-31/distribution';

/** The operations the sandbox serves. */
const ROUTES: readonly RestRoute[] = [
  { method: 'GET', path: DISTRIBUTION, action: 'ListDistributions' },
  { method: 'GET', path: `${DISTRIBUTION}/{Id}`, action: 'GetDistribution' },
  {
    method: 'POST',
    path: `${DISTRIBUTION}/{DistributionId}/invalidation`,
    action: 'CreateInvalidation',
  },
  {
    method: 'GET',
    path: `${DISTRIBUTION}/{DistributionId}/invalidation`,
    action: 'ListInvalidations',
  },
  {
    method: 'GET',
    path: `${DISTRIBUTION}/{DistributionId}/invalidation/{Id}`,
    action: 'GetInvalidation',
  },
];

const router = new RestRouter(ROUTES);

/** What a CloudFront handler returns. */
export interface CloudFrontResult {
  /** @default 200 */
  status?: number;
  /** @default {} */
  headers?: Record<string, string>;
  xml: { root: string; value: { [key: string]: CloudFrontXml } };
}

const COMMON: Record<CommonErrorKind, [code: string, status: number]> = {
  UnknownAccessKey: ['InvalidClientTokenId', 403],
  InvalidSessionToken: ['InvalidClientTokenId', 403],
  BadSignature: ['SignatureDoesNotMatch', 403],
  ExpiredToken: ['ExpiredToken', 403],
  RequestExpired: ['SignatureDoesNotMatch', 403],
  PresignExpired: ['SignatureDoesNotMatch', 403],
  MissingAuthentication: ['MissingAuthenticationToken', 403],
  IncompleteSignature: ['IncompleteSignature', 400],
  AccessDenied: ['AccessDenied', 403],
  Throttling: ['Throttling', 400],
  InternalFailure: ['InternalFailure', 500],
  ServiceUnavailable: ['ServiceUnavailable', 503],
  UnknownAction: ['InvalidAction', 400],
  MalformedInput: ['MalformedInput', 400],
  MissingParameter: ['InvalidArgument', 400],
  InvalidParameter: ['InvalidArgument', 400],
  BodyTooLarge: ['InvalidArgument', 413],
};

function isResult(output: unknown): output is CloudFrontResult {
  return output !== null && typeof output === 'object' && 'xml' in output;
}

/** The CloudFront protocol. */
export const cloudFrontProtocol: Protocol = {
  name: 'rest-xml',
  maxBodyBytes: 1024 * 1024,
  doubleEscapePath: true,
  parse(request: SandboxHttpRequest): ParsedCall {
    const match = router.match(request.method, request.rawPath, request.query);
    if (!match) {
      throw new CommonError(
        'UnknownAction',
        `The sandbox does not emulate CloudFront ${request.method} ${request.rawPath}`,
      );
    }
    const raw: Record<string, InputValue> = { ...match.labels };
    for (const name of ['Marker', 'MaxItems']) {
      const value = request.query.get(name);
      if (value !== null) raw[name] = value;
    }
    return { action: match.route.action, input: new Input(raw) };
  },
  render(_action: string, output: unknown, requestId: string): SandboxHttpResponse {
    if (!isResult(output)) {
      return { status: 200, headers: { 'x-amz-request-id': requestId }, body: '' };
    }
    return {
      status: output.status ?? 200,
      headers: {
        'x-amz-request-id': requestId,
        'content-type': 'text/xml',
        ...(output.headers ?? {}),
      },
      body: renderCloudFrontDocument(output.xml.root, output.xml.value),
    };
  },
  renderError(error: AwsError, requestId: string): SandboxHttpResponse {
    const fields = Object.entries(error.fields)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('');
    const body =
      `<?xml version="1.0"?>\n<ErrorResponse xmlns="${CLOUDFRONT_XMLNS}"><Error>` +
      `<Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message>${fields}</Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    return {
      status: error.status,
      headers: { 'x-amz-request-id': requestId, 'content-type': 'text/xml', ...error.headers },
      body,
    };
  },
  commonError(kind: CommonErrorKind, message: string): AwsError {
    const [code, status] = COMMON[kind];
    return new AwsError(code, message, { status });
  },
};
