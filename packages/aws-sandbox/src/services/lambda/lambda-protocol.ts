// Lambda's REST-JSON bindings (the 2015-03-31 API and the 2017-03-31 tagging paths) and its error
// bodies: `{ "Type": "User", "message": … }`, with `Message` for the codes the model spells so.
import type { AwsError } from '../../framework/aws-error.js';
import type { Protocol } from '../../protocols/protocol.js';
import { restJsonProtocol, type RestJsonRoute } from '../../protocols/rest-json-protocol.js';

const FUNCTIONS = '/2015-03-31/functions';
const FUNCTION = `${FUNCTIONS}/{FunctionName}`;
const QUALIFIER = { Qualifier: 'Qualifier' };
const PAGING = { Marker: 'Marker', MaxItems: 'MaxItems' };

/** The operations the sandbox serves. */
export const LAMBDA_ROUTES: readonly RestJsonRoute[] = [
  { method: 'POST', path: FUNCTIONS, action: 'CreateFunction', status: 201 },
  {
    method: 'GET',
    path: FUNCTIONS,
    action: 'ListFunctions',
    query: { ...PAGING, FunctionVersion: 'FunctionVersion', MasterRegion: 'MasterRegion' },
  },
  { method: 'GET', path: FUNCTION, action: 'GetFunction', query: QUALIFIER },
  {
    method: 'GET',
    path: `${FUNCTION}/configuration`,
    action: 'GetFunctionConfiguration',
    query: QUALIFIER,
  },
  { method: 'DELETE', path: FUNCTION, action: 'DeleteFunction', status: 204, query: QUALIFIER },
  { method: 'PUT', path: `${FUNCTION}/code`, action: 'UpdateFunctionCode' },
  { method: 'PUT', path: `${FUNCTION}/configuration`, action: 'UpdateFunctionConfiguration' },
  { method: 'POST', path: `${FUNCTION}/versions`, action: 'PublishVersion', status: 201 },
  { method: 'GET', path: `${FUNCTION}/versions`, action: 'ListVersionsByFunction', query: PAGING },
  { method: 'POST', path: `${FUNCTION}/aliases`, action: 'CreateAlias', status: 201 },
  {
    method: 'GET',
    path: `${FUNCTION}/aliases`,
    action: 'ListAliases',
    query: { ...PAGING, FunctionVersion: 'FunctionVersion' },
  },
  { method: 'GET', path: `${FUNCTION}/aliases/{Name}`, action: 'GetAlias' },
  { method: 'PUT', path: `${FUNCTION}/aliases/{Name}`, action: 'UpdateAlias' },
  { method: 'DELETE', path: `${FUNCTION}/aliases/{Name}`, action: 'DeleteAlias', status: 204 },
  {
    method: 'POST',
    path: `${FUNCTION}/invocations`,
    action: 'Invoke',
    body: 'raw',
    query: QUALIFIER,
    headers: {
      'x-amz-invocation-type': 'InvocationType',
      'x-amz-log-type': 'LogType',
      'x-amz-client-context': 'ClientContext',
    },
  },
  { method: 'POST', path: '/2017-03-31/tags/{Resource}', action: 'TagResource', status: 204 },
  {
    method: 'DELETE',
    path: '/2017-03-31/tags/{Resource}',
    action: 'UntagResource',
    status: 204,
    queryLists: { tagKeys: 'TagKeys' },
  },
  { method: 'GET', path: '/2017-03-31/tags/{Resource}', action: 'ListTags' },
];

/** Codes whose model member is `Message` rather than `message`. */
const CAPITALIZED = new Set([
  'ResourceNotFoundException',
  'ServiceException',
  'InvalidZipFileException',
  'AccessDeniedException',
  'UnknownOperationException',
]);

function errorBody(error: AwsError): Record<string, unknown> {
  return {
    Type: error.fault === 'Sender' ? 'User' : 'Service',
    [CAPITALIZED.has(error.code) ? 'Message' : 'message']: error.message,
    ...error.fields,
  };
}

/** The Lambda protocol. */
export const lambdaProtocol: Protocol = restJsonProtocol({
  routes: LAMBDA_ROUTES,
  // CreateFunction's limit: a 50 MB zip, base64-encoded, in JSON.
  maxBodyBytes: 70_167_211,
  errorBody,
  commonErrors: {
    Throttling: ['TooManyRequestsException', 429],
    InternalFailure: ['ServiceException', 500],
    ServiceUnavailable: ['ServiceException', 503],
    MalformedInput: ['InvalidRequestContentException', 400],
    BodyTooLarge: ['RequestTooLargeException', 413],
  },
});
