/** Artifact types: how images and bundles are built or imported, and what they expose. */
import { z } from 'zod';
import { AWS_REGIONS } from '../aws-facts/index.js';
import { exprOr, freeMap, patternedText, positiveInt, stringList, text } from './param-schemas.js';

/** CPU architectures an artifact may be built for. */
export const ARTIFACT_ARCHITECTURES = ['linux/amd64', 'linux/arm64'] as const;

export type ArtifactArchitecture = (typeof ARTIFACT_ARCHITECTURES)[number];

/** The ids of the artifact types, canonical form `RAMPART:<GROUP>:<NAME>`. */
export const ARTIFACT_TYPE_IDS = [
  'RAMPART:DOCKER:BUILD',
  'RAMPART:DOCKER:IMPORT',
  'RAMPART:BUNDLE:BUILD',
  'RAMPART:BUNDLE:IMPORT',
] as const;

export type ArtifactTypeId = (typeof ARTIFACT_TYPE_IDS)[number];

/** `image`: an OCI image in ECR. `bundle`: a zip in S3. */
export type ArtifactKind = 'image' | 'bundle';

/** Fields an image artifact exposes as `stage.artifacts["Name"].<field>`. */
export const IMAGE_ARTIFACT_FIELDS = ['image_url', 'image_tag', 'image_digest'] as const;

/** Fields a bundle artifact exposes as `stage.artifacts["Name"].<field>`. */
export const BUNDLE_ARTIFACT_FIELDS = ['s3_url', 's3_bucket', 's3_key'] as const;

export type ArtifactField =
  (typeof IMAGE_ARTIFACT_FIELDS)[number] | (typeof BUNDLE_ARTIFACT_FIELDS)[number];

export interface ArtifactTypeDefinition<S extends z.ZodType = z.ZodType> {
  id: ArtifactTypeId;
  /** One line for docs and the JSON Schema. */
  description: string;
  kind: ArtifactKind;
  /** A strict object schema of `params`; every non-string field also accepts an expression. */
  params: S;
  /** What `stage.artifacts["Name"]` exposes. */
  fields: readonly ArtifactField[];
}

/** Declares an artifact type, keeping its params type. */
export function defineArtifactType<S extends z.ZodType>(
  definition: ArtifactTypeDefinition<S>,
): ArtifactTypeDefinition<S> {
  return definition;
}

const env = () => freeMap().optional().describe('Environment variables for the build, by name.');

const buildArg = patternedText(/^[A-Za-z_][A-Za-z0-9_]*=/, 'a KEY=VALUE build argument');

// An enum rather than a check, so that editors offer the region codes.
const region = exprOr(z.enum(AWS_REGIONS), 'an AWS region code such as us-east-1');

export const dockerBuild = defineArtifactType({
  id: 'RAMPART:DOCKER:BUILD',
  description: 'Builds a container image from a Dockerfile in the repository.',
  kind: 'image',
  fields: IMAGE_ARTIFACT_FIELDS,
  params: z.strictObject({
    dockerfile: text().describe('Path of the Dockerfile, relative to the repository root.'),
    build_root: text()
      .default('/')
      .describe('Build context folder, relative to the repository root; `/` is the root.'),
    args: stringList(buildArg)
      .optional()
      .describe('Build arguments as a list of KEY=VALUE strings.'),
    env: env(),
  }),
});

export const dockerImport = defineArtifactType({
  id: 'RAMPART:DOCKER:IMPORT',
  description: 'Copies an existing image from another registry.',
  kind: 'image',
  fields: IMAGE_ARTIFACT_FIELDS,
  params: z.strictObject({
    source_image_url: text().describe('Image to copy, e.g. `public.ecr.aws/nginx/nginx:1.27`.'),
    timeout_minutes: positiveInt().optional().describe('How long the copy may take.'),
  }),
});

export const bundleBuild = defineArtifactType({
  id: 'RAMPART:BUNDLE:BUILD',
  description: 'Runs build commands and stores the zip file they produce.',
  kind: 'bundle',
  fields: BUNDLE_ARTIFACT_FIELDS,
  params: z.strictObject({
    build_commands: exprOr(
      z.union([text(), z.array(text()).min(1)]),
      'a command or a list of commands',
    ).describe('Shell commands that produce the zip: one string (may span lines) or a list.'),
    file_path: text().describe(
      'Path of the zip file the commands produce, relative to the repository root.',
    ),
    env: env(),
  }),
});

export const bundleImport = defineArtifactType({
  id: 'RAMPART:BUNDLE:IMPORT',
  description: 'Copies an existing zip from an S3 bucket.',
  kind: 'bundle',
  fields: BUNDLE_ARTIFACT_FIELDS,
  params: z.strictObject({
    source_account: patternedText(/^\d{12}$/, 'a 12-digit account id in quotes').describe(
      'Account that owns the source bucket.',
    ),
    source_region: region.describe('Region of the source bucket.'),
    source_s3_url: patternedText(/^s3:\/\/[^/]+\/.+$/, 'an s3://bucket/key URL').describe(
      'The zip to copy, as `s3://bucket/key`.',
    ),
    timeout_minutes: positiveInt().optional().describe('How long the copy may take.'),
  }),
});

/** Each artifact type by canonical id, with its precise params type. */
export const ARTIFACT_TYPES = {
  'RAMPART:DOCKER:BUILD': dockerBuild,
  'RAMPART:DOCKER:IMPORT': dockerImport,
  'RAMPART:BUNDLE:BUILD': bundleBuild,
  'RAMPART:BUNDLE:IMPORT': bundleImport,
} as const satisfies Record<ArtifactTypeId, ArtifactTypeDefinition>;
