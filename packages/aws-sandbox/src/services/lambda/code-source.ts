// Where a function's code comes from: an uploaded zip, a zip in the sandbox's S3 (read with the
// caller's s3:GetObject, as Lambda reads it on the caller's behalf), or an image in its ECR.
import type { Readable } from 'node:stream';
import { AwsError, CommonError } from '../../framework/aws-error.js';
import type { Input } from '../../framework/input.js';
import type { ActionContext } from '../../framework/service.js';
import { mayPull, resolveImage } from '../ecr/image-lookup.js';
import { checkZip, MAX_UNZIPPED_BYTES, storeZip } from './code-store.js';
import { invalidParameter } from './lambda-errors.js';
import type { CodeRecord } from './lambda-state.js';
import { ZipFormatError } from './zip-reader.js';

/** A function's code, ready to store in a version. */
export interface FunctionCode {
  packageType: 'Zip' | 'Image';
  code: CodeRecord;
  codeSha256: string;
  codeSize: number;
}

/** How `S3ObjectVersion` and friends arrive in an input. */
interface S3Location {
  bucket: string;
  key: string;
  version?: string;
}

function s3Failure(code: string, message: string): AwsError {
  return invalidParameter(
    `Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`,
  );
}

async function collect(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as Readable) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_UNZIPPED_BYTES) {
      (body as Readable).destroy();
      throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The region of a bucket, from S3's bucket-name registry (read-only). */
function bucketRegion(ctx: ActionContext, bucket: string): string | undefined {
  const shared = ctx.world.shared['s3'] as
    { owners?: Record<string, { region: string }> } | undefined;
  const owners = shared?.owners;
  return owners && Object.hasOwn(owners, bucket) ? owners[bucket]?.region : undefined;
}

/** Reads a zip from the sandbox's S3 as the caller; S3 failures become Lambda's errors. */
async function readS3Zip(ctx: ActionContext, location: S3Location): Promise<Buffer> {
  const region = bucketRegion(ctx, location.bucket);
  if (region !== undefined && region !== ctx.region) {
    throw s3Failure(
      'PermanentRedirect',
      `S3 Bucket and Lambda Function must be in the same region (bucket region: ${region}).`,
    );
  }
  let output: unknown;
  try {
    output = await ctx.invoke(
      's3',
      'GetObject',
      {
        Bucket: location.bucket,
        Key: location.key,
        ...(location.version !== undefined ? { versionId: location.version } : {}),
      },
      // A request of its own: the Lambda call's headers (ranges, conditions) are not S3's.
      { body: '' },
    );
  } catch (error: unknown) {
    if (error instanceof CommonError && error.kind === 'AccessDenied') {
      throw new AwsError(
        'AccessDeniedException',
        `Your access has been denied by S3, please make sure your request credentials have permission to GetObject for ${location.bucket}/${location.key}. S3 Error Code: AccessDenied. S3 Error Message: Access Denied`,
        { status: 403 },
      );
    }
    if (error instanceof AwsError) throw s3Failure(error.code, error.message);
    throw error;
  }
  return collect((output as { body?: unknown } | undefined)?.body ?? '');
}

async function zipCode(
  ctx: ActionContext,
  zip: Buffer,
  s3: S3Location | undefined,
): Promise<FunctionCode> {
  try {
    checkZip(zip);
  } catch (error: unknown) {
    if (error instanceof ZipFormatError && error.message.startsWith('Unzipped size')) {
      throw invalidParameter(error.message);
    }
    if (error instanceof ZipFormatError) {
      throw invalidParameter(
        'Could not unzip uploaded file. Please check your file, then try to upload again.',
      );
    }
    throw error;
  }
  const stored = await storeZip(ctx.runtime, zip);
  return {
    packageType: 'Zip',
    code: { kind: 'zip', blob: stored.blob, ...(s3 ? { s3 } : {}) },
    codeSha256: stored.codeSha256,
    codeSize: stored.codeSize,
  };
}

function imageCode(ctx: ActionContext, imageUri: string, functionAccount: string): FunctionCode {
  const image = resolveImage(ctx.runtime, imageUri);
  if (!image) {
    throw invalidParameter(
      `Source image ${imageUri} does not exist. Provide a valid source image.`,
    );
  }
  if (image.region !== ctx.region) {
    throw invalidParameter(
      `Source image ${imageUri} is not in the function's region ${ctx.region}. Provide an image from the same region.`,
    );
  }
  if (!mayPull(ctx.runtime, image, functionAccount)) {
    throw invalidParameter(
      'Lambda does not have permission to access the ECR image. Check the ECR permissions.',
    );
  }
  const at = imageUri.search(/[:@][^/]*$/);
  const repositoryUri = at >= 0 ? imageUri.slice(0, at) : imageUri;
  return {
    packageType: 'Image',
    code: {
      kind: 'image',
      imageUri,
      resolvedImageUri: `${repositoryUri}@${image.digest}`,
      digest: image.digest,
    },
    codeSha256: image.digest.replace(/^sha256:/, ''),
    codeSize: 0,
  };
}

/**
 * Reads the code members of `input` (`Code` of CreateFunction, or UpdateFunctionCode's own
 * members): exactly one of `ZipFile`, `S3Bucket` + `S3Key`, `ImageUri`, matching the package type.
 */
export async function readCode(
  ctx: ActionContext,
  input: Input,
  packageType: 'Zip' | 'Image',
  functionAccount: string,
): Promise<FunctionCode> {
  const zipFile = input.str('ZipFile');
  const bucket = input.str('S3Bucket');
  const key = input.str('S3Key');
  const imageUri = input.str('ImageUri');
  const sources = [zipFile, bucket ?? key, imageUri].filter((value) => value !== undefined);
  if (sources.length !== 1) {
    throw invalidParameter(
      'Please provide a source for function code: either ZipFile, S3Bucket and S3Key, or ImageUri.',
    );
  }
  if (packageType === 'Image') {
    if (imageUri === undefined) {
      throw invalidParameter(
        'Please provide ImageUri when updating a function with package type Image.',
      );
    }
    return imageCode(ctx, imageUri, functionAccount);
  }
  if (imageUri !== undefined) {
    throw invalidParameter('Please provide ImageUri only for functions with package type Image.');
  }
  if (zipFile !== undefined) return zipCode(ctx, Buffer.from(zipFile, 'base64'), undefined);
  if (bucket === undefined || key === undefined) {
    throw invalidParameter('Please provide both S3Bucket and S3Key to locate the function code.');
  }
  const version = input.str('S3ObjectVersion');
  const location: S3Location = { bucket, key, ...(version !== undefined ? { version } : {}) };
  return zipCode(ctx, await readS3Zip(ctx, location), location);
}
