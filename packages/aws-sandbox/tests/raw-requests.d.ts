import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock, Sandbox } from '../src/index.js';
import type { TestCredentials } from './sdk-clients.js';
/** The SHA-256 implementation the smithy signer expects, on node:crypto. */
export declare class NodeSha256 {
    private readonly hash;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView);
    update(data: string | ArrayBuffer | ArrayBufferView): void;
    digest(): Promise<Uint8Array>;
}
/** A signer for one service in us-east-1. */
export declare function signer(service: string, credentials: TestCredentials, uriEscapePath?: boolean): SignatureV4;
/** What to send. */
export interface RawRequest {
    service: string;
    method?: string;
    path?: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    credentials: TestCredentials;
    clock: Clock;
}
/** Signs a request with the SDK signer and sends it. */
export declare function signedFetch(sandbox: Sandbox, request: RawRequest): Promise<Response>;
/** SHA-256 hex, for payload hashes. */
export declare function sha256(text: string): string;
//# sourceMappingURL=raw-requests.d.ts.map