import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { Clock, Sandbox } from '../src/index.js';
/** Static credentials, optionally with a session token. */
export interface TestCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}
/** Options of test clients. */
export interface ClientOptions {
    /** @default 1 (no retries) */
    maxAttempts?: number;
    /** Signs with this clock's time (a manual clock far from the wall clock). @default the wall clock */
    clock?: Clock;
}
/** Client options for a sandbox: its endpoint, us-east-1, the given credentials. */
export declare function clientConfig(sandbox: Sandbox, credentials: TestCredentials, options?: ClientOptions): {
    systemClockOffset?: number | undefined;
    endpoint: string;
    region: string;
    credentials: TestCredentials;
    maxAttempts: number;
};
/** STS, IAM and Organizations clients for one set of credentials. */
export declare function clients(sandbox: Sandbox, credentials: TestCredentials, options?: ClientOptions): {
    sts: STSClient;
    iam: IAMClient;
    organizations: OrganizationsClient;
};
/** The default account ids. */
export declare const MANAGEMENT = "111111111111";
export declare const CICD = "222222222222";
export declare const DEV = "333333333333";
export declare const STAGING = "444444444444";
export declare const PROD = "555555555555";
//# sourceMappingURL=sdk-clients.d.ts.map