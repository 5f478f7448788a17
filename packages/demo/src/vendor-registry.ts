/**
 * The registry the example imports its image from: a repository `vendor/web` in the CI/CD account
 * of the sandbox, standing in for a vendor's registry. The demo fills it before the first
 * release, with version 1.0 (healthy) and 2.0 (the one the sandbox's health model serves 5xx
 * for), and lets exactly the pipeline's build role pull from it.
 */
import { Readable } from 'node:stream';
import {
  CreateRepositoryCommand,
  GetAuthorizationTokenCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { RegistryClient } from '@rampart/artifacts';
import { reachAccount } from '@rampart/aws';
import { buildRoleName, RampartError } from '@rampart/core';
import type { DemoAdmin } from './demo-accounts.js';
import { DEMO_ACCOUNTS, DEMO_ORGANIZATION, DEMO_PIPELINE } from './demo-settings.js';
import { vendorImage, type VendorImage } from './vendor-image.js';

/** The vendor repository's name, in the CI/CD account and region. */
export const VENDOR_REPOSITORY = 'vendor/web';
/** The vendor's versions: revision 1 imports the first, revision 2 the second. */
export const VENDOR_VERSIONS = { v1: '1.0', v2: '2.0' } as const;
/**
 * How the example's pipeline file names the vendor registry. The demo's sandbox listens on a port
 * of its own; the demo writes its `host:port` in place of this one when it copies the example.
 */
export const EXAMPLE_REGISTRY = '127.0.0.1:4566';

/** A published vendor image. */
export interface PublishedImage {
  /** `<registry>/<account>/<region>/vendor/web:<tag>`: what the pipeline's `source_image_url` names. */
  url: string;
  tag: string;
  /** The manifest digest every copy keeps. */
  digest: string;
}

/** The repository path of the vendor images inside the sandbox's registry. */
export function vendorRepositoryPath(): string {
  return `${DEMO_ACCOUNTS.cicd}/${DEMO_ORGANIZATION.cicd_account_region}/${VENDOR_REPOSITORY}`;
}

/**
 * Creates the vendor repository (its policy lets the pipeline's build role pull) and pushes both
 * versions into it. `registry` is the sandbox's `host:port`.
 */
export async function publishVendorImages(
  admin: DemoAdmin,
  registry: string,
): Promise<{ v1: PublishedImage; v2: PublishedImage }> {
  const region = DEMO_ORGANIZATION.cicd_account_region;
  const access = await reachAccount({
    sdk: admin.sdk,
    callerAccount: DEMO_ACCOUNTS.management,
    accountId: DEMO_ACCOUNTS.cicd,
    region,
  });
  const ecr = admin.sdk.ecr({ region, credentials: access.credentials });
  const buildRole = `arn:aws:iam::${DEMO_ACCOUNTS.cicd}:role/${buildRoleName({ org: DEMO_ORGANIZATION.slug, slug: DEMO_PIPELINE })}`;
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: VENDOR_REPOSITORY }));
    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: VENDOR_REPOSITORY,
        policyText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RampartBuildsPull',
              Effect: 'Allow',
              Principal: { AWS: buildRole },
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            },
          ],
        }),
      }),
    );
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    const encoded = token.authorizationData?.[0]?.authorizationToken ?? '';
    const [username = '', password = ''] = Buffer.from(encoded, 'base64').toString().split(':');
    const client = new RegistryClient({
      registry,
      credentials: { username, password },
      insecure: true,
      push: true,
    });
    try {
      const push = (image: VendorImage) => pushImage(client, vendorRepositoryPath(), image);
      const v1 = await push(vendorImage(VENDOR_VERSIONS.v1));
      const v2 = await push(vendorImage(VENDOR_VERSIONS.v2));
      const url = (image: VendorImage) => `${registry}/${vendorRepositoryPath()}:${image.tag}`;
      return {
        v1: { url: url(v1), tag: v1.tag, digest: v1.digest },
        v2: { url: url(v2), tag: v2.tag, digest: v2.digest },
      };
    } finally {
      await client.close();
    }
  } catch (error) {
    throw new RampartError(
      'DEMO_SETUP_FAILED',
      `the vendor images could not be published: ${error instanceof Error ? error.message : String(error)}`,
      {
        source: 'system',
        hint: 'Run `RAMPART_DEBUG=1 rampart demo` and report the output.',
        cause: error,
      },
    );
  }
}

/** Pushes an image's blobs, then its manifest under its tag (what `docker push` does). */
async function pushImage(
  client: RegistryClient,
  repository: string,
  image: VendorImage,
): Promise<VendorImage> {
  for (const blob of image.blobs) {
    if (await client.hasBlob(repository, blob.digest)) continue;
    const upload = await client.startUpload(repository);
    await client.completeUpload(
      repository,
      upload,
      blob.digest,
      Readable.from([blob.bytes]),
      blob.bytes.length,
    );
  }
  const digest = await client.putManifest(repository, image.tag, image.manifest, image.mediaType);
  if (digest !== image.digest) {
    throw new Error(`the registry stored ${image.tag} as ${digest}, not ${image.digest}`);
  }
  return image;
}
