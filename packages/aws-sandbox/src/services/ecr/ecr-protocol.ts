// ECR's wire protocol: JSON 1.1, whose error shapes carry one number (`lastValidByteReceived` of
// InvalidLayerPartException); AwsError fields are strings, so it is converted here.
import type { Protocol } from '../../protocols/protocol.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';

/** Error fields ECR sends as JSON numbers. */
const NUMERIC_FIELDS = ['lastValidByteReceived'];

const base = jsonProtocol({
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  // UploadLayerPart carries its part base64-encoded in the JSON body.
  maxBodyBytes: 32 * 1024 * 1024,
});

/** The ECR protocol. */
export const ecrProtocol: Protocol = {
  ...base,
  renderError(error, requestId) {
    const response = base.renderError(error, requestId);
    if (!NUMERIC_FIELDS.some((name) => error.fields[name] !== undefined)) return response;
    if (typeof response.body !== 'string') return response;
    const body = JSON.parse(response.body) as Record<string, unknown>;
    for (const name of NUMERIC_FIELDS) {
      if (typeof body[name] === 'string') body[name] = Number(body[name]);
    }
    return { ...response, body: JSON.stringify(body) };
  },
};
