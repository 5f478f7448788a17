/**
 * The one place that constructs AWS SDK clients (STYLE rule 4): every client gets the configured
 * endpoint override, region, credentials and clock, so no caller can forget one of them.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Clock } from '../credentials/clock.js';

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
  private handler: NodeHttpHandler | undefined;

  constructor(private readonly options: AwsClientFactoryOptions = {}) {}

  /** The endpoint override, when one is configured. */
  get endpointUrl(): string | undefined {
    return this.options.endpointUrl;
  }

  sts(target: ClientTarget): STSClient {
    return new STSClient(this.common(target));
  }

  /**
   * STS for `AssumeRoleWithWebIdentity`, which the token authenticates: the SDK sends it unsigned
   * (no-auth scheme), so the caller needs no AWS credentials of its own.
   */
  webIdentitySts(target: Omit<ClientTarget, 'credentials'>): STSClient {
    return new STSClient(this.common({ ...target, credentials: NO_CREDENTIALS }));
  }

  cloudFormation(target: ClientTarget): CloudFormationClient {
    return new CloudFormationClient(this.common(target));
  }

  cloudWatch(target: ClientTarget): CloudWatchClient {
    return new CloudWatchClient(this.common(target));
  }

  /** CloudWatch Logs (a task's container output). */
  cloudWatchLogs(target: ClientTarget): CloudWatchLogsClient {
    return new CloudWatchLogsClient(this.common(target));
  }

  /** CloudFront is global: pass `us-east-1` (the region its requests are signed for). */
  cloudFront(target: ClientTarget): CloudFrontClient {
    return new CloudFrontClient(this.common(target));
  }

  ecs(target: ClientTarget): ECSClient {
    return new ECSClient(this.common(target));
  }

  iam(target: ClientTarget): IAMClient {
    return new IAMClient(this.common(target));
  }

  lambda(target: ClientTarget): LambdaClient {
    return new LambdaClient(this.common(target));
  }

  s3(target: ClientTarget): S3Client {
    // Path-style addressing: endpoint overrides (the sandbox) have no per-bucket DNS names.
    return new S3Client({
      ...this.common(target),
      ...(this.options.endpointUrl === undefined ? {} : { forcePathStyle: true }),
    });
  }

  private common(target: ClientTarget) {
    const credentials = target.credentials ?? this.options.defaultCredentials;
    const maxAttempts = target.maxAttempts ?? this.options.maxAttempts;
    const clock = this.options.clock;
    this.handler ??= new NodeHttpHandler({
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
