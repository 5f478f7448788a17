/**
 * What the artifact stores hold after the scenario, read as the organization's administrator: the
 * image digests of each repository and the bundles (with the SHA-256 they record) of each bucket,
 * in the CI/CD account and in every stage, and the files of each stage's site bucket.
 */
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { recordedSha256 } from '@rampart/artifacts';
import { reachAccount } from '@rampart/aws';
import { bundleBucketName, imageRepositoryName } from '@rampart/core';
import type { DemoAdmin } from './demo-accounts.js';
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANIZATION,
  DEMO_PIPELINE,
  DEMO_STAGES,
  siteBucketOf,
} from './demo-settings.js';

/** The example's artifact ids (`Web Image`, `Site`). */
export const IMAGE_ARTIFACT = 'web-image';
export const BUNDLE_ARTIFACT = 'site';

/** One bundle object and the SHA-256 it records. */
export interface StoredBundle {
  key: string;
  /** Hex. @default absent when the object records none */
  sha256?: string;
}

/** The artifact stores of one place: the CI/CD account (`cicd`) or a stage. */
export interface ArtifactStores {
  where: string;
  repository: string;
  /** Digests of the images in the repository, in push order. */
  imageDigests: string[];
  bucket: string;
  bundles: StoredBundle[];
}

/** Everything the artifact checks read. */
export interface ArtifactCopies {
  cicd: ArtifactStores;
  stages: ArtifactStores[];
  /** Object keys of each stage's site bucket, by stage name. */
  siteFiles: Record<string, string[]>;
}

/** Reads the CI/CD copies, every stage's mirrors and the site buckets. */
export async function readArtifactCopies(admin: DemoAdmin): Promise<ArtifactCopies> {
  const cicd = readStores(admin, {
    where: 'cicd',
    accountId: DEMO_ACCOUNTS.cicd,
    region: DEMO_ORGANIZATION.cicd_account_region,
  });
  const stages = Promise.all(
    DEMO_STAGES.map((stage) =>
      readStores(admin, {
        where: stage.name,
        accountId: stage.accountId,
        region: stage.region,
        stage: stage.name,
        siteBucket: siteBucketOf(stage),
      }),
    ),
  );
  const read = await stages;
  return {
    cicd: (await cicd).stores,
    stages: read.map((r) => r.stores),
    siteFiles: Object.fromEntries(read.map((r) => [r.stores.where, r.siteFiles])),
  };
}

async function readStores(
  admin: DemoAdmin,
  place: { where: string; accountId: string; region: string; stage?: string; siteBucket?: string },
): Promise<{ stores: ArtifactStores; siteFiles: string[] }> {
  const { accountId, region } = place;
  const access = await reachAccount({
    sdk: admin.sdk,
    callerAccount: DEMO_ACCOUNTS.management,
    accountId,
    region,
  });
  const names = {
    slug: DEMO_PIPELINE,
    ...(place.stage === undefined ? {} : { stage: place.stage }),
  };
  const repository = imageRepositoryName({ ...names, artifactId: IMAGE_ARTIFACT });
  const bucket = bundleBucketName({ ...names, accountId, artifactId: BUNDLE_ARTIFACT });
  const ecr = admin.sdk.ecr({ region, credentials: access.credentials });
  const s3 = admin.sdk.s3({ region, credentials: access.credentials });
  const images = await ecr
    .send(new DescribeImagesCommand({ repositoryName: repository }))
    .then((r) => r.imageDetails ?? [])
    .catch(() => []);
  const keys = await listKeys(s3, bucket);
  const bundles = await Promise.all(
    keys.map(async (key): Promise<StoredBundle> => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const sha256 = recordedSha256(head);
      return { key, ...(sha256 === undefined ? {} : { sha256 }) };
    }),
  );
  return {
    stores: {
      where: place.where,
      repository,
      imageDigests: images.flatMap((i) => (i.imageDigest === undefined ? [] : [i.imageDigest])),
      bucket,
      bundles,
    },
    siteFiles: place.siteBucket === undefined ? [] : await listKeys(s3, place.siteBucket),
  };
}

/** The keys of a bucket (the demo's hold a few objects: one page); none when it is missing. */
async function listKeys(s3: ReturnType<DemoAdmin['sdk']['s3']>, bucket: string): Promise<string[]> {
  try {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])).sort();
  } catch {
    return [];
  }
}
