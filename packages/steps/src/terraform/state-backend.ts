// The S3 backend Rampart gives every configuration: the organization's state bucket in the CI/CD
// account, key `<pipeline>/<stage>/terraform.tfstate`, S3-native locking (`use_lockfile`), the
// organization's KMS key. The configuration only gets an empty `backend "s3" {}` (an override
// file, so it replaces any backend the configuration declares); the values go in a
// `-backend-config` file, never on the command line.
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { S3Client } from '@aws-sdk/client-s3';
import { terraformStateBucketName, terraformStateKey } from '@rampart/core';
import type { JsonValue } from '@rampart/engine';

/** The organization settings of the control plane's configuration the state location comes from. */
export interface TerraformOrganization {
  slug: string;
  cicd_account_id: string;
  /** The state bucket's region. */
  cicd_account_region: string;
}

/** Where one stage's state lives. */
export interface StateLocation {
  bucket: string;
  key: string;
  region: string;
  /** @default absent: the bucket's default encryption (bootstrap sets the organization's key) */
  kmsKeyArn?: string;
}

/** The override file written beside the configuration (Terraform merges `*_override.tf.json` last). */
export const BACKEND_OVERRIDE_FILE = 'rampart_backend_override.tf.json';

/** The state location of a pipeline's stage. */
export function stateLocation(
  organization: TerraformOrganization,
  stage: { pipelineSlug: string; stage: string },
  kmsKeyArn: string | undefined,
): StateLocation {
  return {
    bucket: terraformStateBucketName({
      cicdAccountId: organization.cicd_account_id,
      org: organization.slug,
    }),
    key: terraformStateKey({ slug: stage.pipelineSlug, stage: stage.stage }),
    region: organization.cicd_account_region,
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
  };
}

/** The override file's text: an S3 backend whose settings all come from `-backend-config`. */
export function backendOverrideText(): string {
  return `${JSON.stringify({ terraform: { backend: { s3: {} } } }, null, 2)}\n`;
}

/**
 * The `-backend-config` file (JSON, so it must be named `*.json`). With an endpoint override (the
 * sandbox) S3 goes there with path-style addressing and the AWS-only checks are skipped.
 */
export function backendConfigText(state: StateLocation, endpointUrl: string | undefined): string {
  const config: Record<string, JsonValue> = {
    bucket: literal(state.bucket),
    key: literal(state.key),
    region: literal(state.region),
    use_lockfile: true,
  };
  if (state.kmsKeyArn !== undefined) {
    config['encrypt'] = true;
    config['kms_key_id'] = literal(state.kmsKeyArn);
  }
  if (endpointUrl !== undefined) {
    const url = literal(endpointUrl);
    config['endpoints'] = { s3: url, sts: url, iam: url };
    config['use_path_style'] = true;
    config['skip_credentials_validation'] = true;
    config['skip_requesting_account_id'] = true;
    config['skip_metadata_api_check'] = true;
    config['skip_region_validation'] = true;
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** How making sure the state object exists went. */
export type StateObjectResult = { ok: true; created: boolean } | { ok: false; message: string };

/**
 * Creates an empty state object unless one exists (a conditional write). The stage role may list
 * only its own prefix, and S3 answers a read of a missing key with 403 to such a caller, which
 * Terraform's S3 backend takes for an error rather than "no state yet"; an empty object it reads
 * as no state.
 */
export async function ensureStateObject(
  s3: S3Client,
  state: StateLocation,
  signal: AbortSignal,
): Promise<StateObjectResult> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: state.bucket,
        Key: state.key,
        Body: '',
        // An empty string reads as "unknown length" to the SDK, which then warns on every run.
        ContentLength: 0,
        ContentType: 'application/json',
        IfNoneMatch: '*',
        ...(state.kmsKeyArn === undefined
          ? {}
          : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: state.kmsKeyArn }),
      }),
      { abortSignal: signal },
    );
    return { ok: true, created: true };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // 412: the state exists; 409: another run is writing it right now.
    if (status === 412 || status === 409) return { ok: true, created: false };
    const where = `s3://${state.bucket}/${state.key}`;
    const detail = error instanceof Error ? error.message : String(error);
    if (name === 'NoSuchBucket') {
      return {
        ok: false,
        message: `the Terraform state bucket ${state.bucket} does not exist in the CI/CD account: run "rampart bootstrap"`,
      };
    }
    if (name === 'AccessDenied' || status === 403) {
      return {
        ok: false,
        message: `the stage role may not write its Terraform state ${where} (${detail}): run "rampart bootstrap" so the state bucket policy and the stage role grant it`,
      };
    }
    return {
      ok: false,
      message: `could not prepare the Terraform state ${where}: ${name} ${detail}`,
    };
  }
}

/** A string HCL reads literally: `${` and `%{` would start a template sequence. */
function literal(text: string): string {
  return text.replaceAll('${', '$${').replaceAll('%{', '%%{');
}
