/**
 * The one place that constructs AWS SDK clients (STYLE rule 4): every client gets the configured
 * endpoint override, region, credentials and clock, so no caller can forget one of them.
 *
 * Each `@aws-sdk/client-*` package is loaded the first time one of its clients is asked for, not
 * when this module is: loading all nine takes about a second on the CI machine, and a process that
 * never deploys to Lambda (or never runs a step at all, like most `rampart server` starts) should
 * not pay for it. The packages are CommonJS, so a synchronous `require` keeps the factory's methods
 * synchronous and shares the module instance with every `import` of the same package (one
 * `ClientException` class for `instanceof`).
 */
import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type * as CloudFront from '@aws-sdk/client-cloudfront';
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import type * as Ecr from '@aws-sdk/client-ecr';
import type * as Ecs from '@aws-sdk/client-ecs';
import type * as Iam from '@aws-sdk/client-iam';
import type * as Kms from '@aws-sdk/client-kms';
import type * as Lambda from '@aws-sdk/client-lambda';
import type * as S3 from '@aws-sdk/client-s3';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import type * as Sts from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type * as SmithyHttp from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import type { Clock } from '../credentials/clock.js';

const requireSdk = createRequire(import.meta.url);

/** The SDK packages by client, each loaded on first use (`require` caches it). */
const sdk = {
  cloudFormation: () => requireSdk('@aws-sdk/client-cloudformation') as typeof CloudFormation,
  cloudFront: () => requireSdk('@aws-sdk/client-cloudfront') as typeof CloudFront,
  cloudWatch: () => requireSdk('@aws-sdk/client-cloudwatch') as typeof CloudWatch,
  cloudWatchLogs: () => requireSdk('@aws-sdk/client-cloudwatch-logs') as typeof CloudWatchLogs,
  ecr: () => requireSdk('@aws-sdk/client-ecr') as typeof Ecr,
  ecs: () => requireSdk('@aws-sdk/client-ecs') as typeof Ecs,
  iam: () => requireSdk('@aws-sdk/client-iam') as typeof Iam,
  kms: () => requireSdk('@aws-sdk/client-kms') as typeof Kms,
  lambda: () => requireSdk('@aws-sdk/client-lambda') as typeof Lambda,
  s3: () => requireSdk('@aws-sdk/client-s3') as typeof S3,
  secretsManager: () => requireSdk('@aws-sdk/client-secrets-manager') as typeof SecretsManager,
  sts: () => requireSdk('@aws-sdk/client-sts') as typeof Sts,
  http: () => requireSdk('@smithy/node-http-handler') as typeof SmithyHttp,
};

/** Fixed credentials, or a provider the SDK calls before each request (and caches). */
export type AwsCredentialsSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Never resolved: operations with a no-auth scheme are sent unsigned without asking for it. */
const NO_CREDENTIALS: AwsCredentialIdentityProvider = () =>
  Promise.reject(new Error('this client sends unsigned requests only'));

/** How every client is built. */
export interface AwsClientFactoryOptions {
  /** `aws.endpoint_url` from the config (the sandbox); real AWS endpoints when absent. @default absent */
  endpointUrl?: string;
  /** Credentials of clients that are given none. @default the SDK's default provider chain */
  defaultCredentials?: AwsCredentialsSource;
  /**
   * Requests are signed with this clock's time, so a sandbox on a manual clock accepts them.
   * @default the system clock (no offset)
   */
  clock?: Clock;
  /** Attempts per request, the SDK's own retries included. @default the SDK's default (3) */
  maxAttempts?: number;
}

/** Where a client talks to and as whom. */
export interface ClientTarget {
  region: string;
  /** @default the factory's `defaultCredentials` */
  credentials?: AwsCredentialsSource;
  /** Overrides the factory's `maxAttempts` for this client. @default the factory's */
  maxAttempts?: number;
}

/** Builds SDK v3 clients with the control plane's endpoint, clock and credentials. */
export class AwsClientFactory {
  /**
   * One keep-alive connection pool for every client of the factory: bootstrap builds clients per
   * account and role, and a pool per client would open a new connection for each of them.
   */
  private handler: SmithyHttp.NodeHttpHandler | undefined;

  constructor(private readonly options: AwsClientFactoryOptions = {}) {}

  /** The endpoint override, when one is configured. */
  get endpointUrl(): string | undefined {
    return this.options.endpointUrl;
  }

  sts(target: ClientTarget): Sts.STSClient {
    return new (sdk.sts().STSClient)(this.common(target));
  }

  /**
   * STS for `AssumeRoleWithWebIdentity`, which the token authenticates: the SDK sends it unsigned
   * (no-auth scheme), so the caller needs no AWS credentials of its own.
   */
  webIdentitySts(target: Omit<ClientTarget, 'credentials'>): Sts.STSClient {
    return new (sdk.sts().STSClient)(this.common({ ...target, credentials: NO_CREDENTIALS }));
  }

  cloudFormation(target: ClientTarget): CloudFormation.CloudFormationClient {
    return new (sdk.cloudFormation().CloudFormationClient)(this.common(target));
  }

  cloudWatch(target: ClientTarget): CloudWatch.CloudWatchClient {
    return new (sdk.cloudWatch().CloudWatchClient)(this.common(target));
  }

  /** CloudWatch Logs (a task's container output). */
  cloudWatchLogs(target: ClientTarget): CloudWatchLogs.CloudWatchLogsClient {
    return new (sdk.cloudWatchLogs().CloudWatchLogsClient)(this.common(target));
  }

  /** CloudFront is global: pass `us-east-1` (the region its requests are signed for). */
  cloudFront(target: ClientTarget): CloudFront.CloudFrontClient {
    return new (sdk.cloudFront().CloudFrontClient)(this.common(target));
  }

  /** ECR's API: registry logins (`GetAuthorizationToken`) and repository URIs. */
  ecr(target: ClientTarget): Ecr.ECRClient {
    return new (sdk.ecr().ECRClient)(this.common(target));
  }

  ecs(target: ClientTarget): Ecs.ECSClient {
    return new (sdk.ecs().ECSClient)(this.common(target));
  }

  iam(target: ClientTarget): Iam.IAMClient {
    return new (sdk.iam().IAMClient)(this.common(target));
  }

  lambda(target: ClientTarget): Lambda.LambdaClient {
    return new (sdk.lambda().LambdaClient)(this.common(target));
  }

  /** KMS (secret data keys under the organization's key). */
  kms(target: ClientTarget): Kms.KMSClient {
    return new (sdk.kms().KMSClient)(this.common(target));
  }

  /** Secrets Manager (user-managed secrets in the CI/CD account). */
  secretsManager(target: ClientTarget): SecretsManager.SecretsManagerClient {
    return new (sdk.secretsManager().SecretsManagerClient)(this.common(target));
  }

  s3(target: ClientTarget): S3.S3Client {
    // Path-style addressing: endpoint overrides (the sandbox) have no per-bucket DNS names.
    return new (sdk.s3().S3Client)({
      ...this.common(target),
      ...(this.options.endpointUrl === undefined ? {} : { forcePathStyle: true }),
    });
  }

  private common(target: ClientTarget) {
    const credentials = target.credentials ?? this.options.defaultCredentials;
    const maxAttempts = target.maxAttempts ?? this.options.maxAttempts;
    const clock = this.options.clock;
    this.handler ??= new (sdk.http().NodeHttpHandler)({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    });
    return {
      region: target.region,
      requestHandler: this.handler,
      ...(this.options.endpointUrl === undefined ? {} : { endpoint: this.options.endpointUrl }),
      ...(credentials === undefined ? {} : { credentials }),
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
      // The offset is taken when the client is built: clients are cheap and built per use.
      ...(clock === undefined ? {} : { systemClockOffset: clock.now().getTime() - Date.now() }),
    };
  }
}
