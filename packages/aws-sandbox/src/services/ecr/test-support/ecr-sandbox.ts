// Test support: a sandbox with ECR clients, users with given policies, and small images made of
// random blobs, pushed through the API or the registry.
import { createHash, randomBytes } from 'node:crypto';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { clientConfig, clients, type TestCredentials } from '../../../../tests/sdk-clients.js';
import type { Clock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from '../manifests.js';

/** An ECR client for some credentials. */
export function ecrClient(sandbox: Sandbox, credentials: TestCredentials, clock: Clock): ECRClient {
  return new ECRClient(clientConfig(sandbox, credentials, { clock }));
}

/** A policy document's JSON text. */
export function policyDocument(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Creates an IAM user with one inline policy in an account; returns its keys. */
export async function userWithPolicy(
  sandbox: Sandbox,
  clock: Clock,
  accountId: string,
  name: string,
  statements: object[],
): Promise<TestCredentials> {
  const { iam } = clients(sandbox, sandbox.credentialsFor(accountId), { clock });
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'access',
      PolicyDocument: policyDocument(statements),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return {
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
}

/** The registry password of a principal (what `docker login -u AWS` takes). */
export async function registryPassword(ecr: ECRClient): Promise<string> {
  const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
  const token = authorizationData?.[0]?.authorizationToken ?? '';
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** `Authorization: Basic …` for a registry password. */
export function basicAuth(password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` };
}

/** `sha256:<hex>` of bytes. */
export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A blob of random bytes with its digest. */
export interface TestBlob {
  data: Buffer;
  digest: string;
}

/** Random bytes and their digest. */
export function randomBlob(size: number): TestBlob {
  const data = randomBytes(size);
  return { data, digest: digestOf(data) };
}

/** An image: a config blob, layer blobs and the manifest that ties them. */
export interface TestImage {
  config: TestBlob;
  layers: TestBlob[];
  manifest: string;
  digest: string;
  mediaType: string;
}

/** An image manifest (OCI by default) over a fresh config and the given layers. */
export function testImage(
  layers: TestBlob[],
  options: { mediaType?: string; platform?: string } = {},
): TestImage {
  const mediaType = options.mediaType ?? OCI_MANIFEST;
  const docker = mediaType === DOCKER_MANIFEST;
  const config = Buffer.from(
    JSON.stringify({
      architecture: options.platform ?? 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
      nonce: randomBytes(8).toString('hex'),
    }),
  );
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: docker
        ? 'application/vnd.docker.container.image.v1+json'
        : 'application/vnd.oci.image.config.v1+json',
      digest: digestOf(config),
      size: config.length,
    },
    layers: layers.map((layer) => ({
      mediaType: docker
        ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
        : 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: layer.digest,
      size: layer.data.length,
    })),
  });
  return {
    config: { data: config, digest: digestOf(config) },
    layers,
    manifest,
    digest: digestOf(manifest),
    mediaType,
  };
}

/** An OCI image index over image manifests (one per platform). */
export function testIndex(images: { image: TestImage; architecture: string }[]): {
  manifest: string;
  digest: string;
} {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map(({ image, architecture }) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: Buffer.byteLength(image.manifest),
      platform: { architecture, os: 'linux' },
    })),
  });
  return { manifest, digest: digestOf(manifest) };
}
