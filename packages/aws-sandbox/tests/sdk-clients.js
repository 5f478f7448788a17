// Test helpers: real AWS SDK clients pointed at a sandbox.
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
/** Client options for a sandbox: its endpoint, us-east-1, the given credentials. */
export function clientConfig(sandbox, credentials, options = {}) {
    return {
        endpoint: sandbox.endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: options.maxAttempts ?? 1,
        ...(options.clock ? { systemClockOffset: options.clock.now().getTime() - Date.now() } : {}),
    };
}
/** STS, IAM and Organizations clients for one set of credentials. */
export function clients(sandbox, credentials, options = {}) {
    const config = clientConfig(sandbox, credentials, options);
    return {
        sts: new STSClient(config),
        iam: new IAMClient(config),
        organizations: new OrganizationsClient(config),
    };
}
/** The default account ids. */
export const MANAGEMENT = '111111111111';
export const CICD = '222222222222';
export const DEV = '333333333333';
export const STAGING = '444444444444';
export const PROD = '555555555555';
//# sourceMappingURL=sdk-clients.js.map