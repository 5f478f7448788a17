// Test helpers: requests signed by the AWS SDK's own SigV4 signer, sent with fetch.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
function toBytes(data) {
    if (typeof data === 'string')
        return data;
    if (ArrayBuffer.isView(data))
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return new Uint8Array(data);
}
/** The SHA-256 implementation the smithy signer expects, on node:crypto. */
export class NodeSha256 {
    hash;
    constructor(secret) {
        this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
    }
    update(data) {
        this.hash.update(toBytes(data));
    }
    digest() {
        return Promise.resolve(new Uint8Array(this.hash.digest()));
    }
}
/** A signer for one service in us-east-1. */
export function signer(service, credentials, uriEscapePath = true) {
    return new SignatureV4({
        service,
        region: 'us-east-1',
        credentials,
        sha256: NodeSha256,
        uriEscapePath,
    });
}
/** Signs a request with the SDK signer and sends it. */
export async function signedFetch(sandbox, request) {
    const url = new URL(sandbox.endpoint);
    const httpRequest = {
        method: request.method ?? 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: request.path ?? '/',
        query: request.query ?? {},
        headers: { host: url.host, ...(request.headers ?? {}) },
        ...(request.body !== undefined ? { body: request.body } : {}),
    };
    const signed = await signer(request.service, request.credentials).sign(httpRequest, {
        signingDate: request.clock.now(),
    });
    const query = new URLSearchParams(request.query ?? {}).toString();
    const headers = { ...signed.headers };
    delete headers['host'];
    return fetch(`${sandbox.endpoint}${httpRequest.path}${query ? `?${query}` : ''}`, {
        method: httpRequest.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
    });
}
/** SHA-256 hex, for payload hashes. */
export function sha256(text) {
    return createHash('sha256').update(text).digest('hex');
}
//# sourceMappingURL=raw-requests.js.map