// Multipart uploads: create, upload parts, complete (ETag "<md5 of part md5s>-N"), abort, list.
import { createHash, randomBytes } from 'node:crypto';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { ownerElement } from './bucket-actions.js';
import { checksumHeader, parseChecksumAlgorithm } from './checksums.js';
import { checkKey, writeContext, writeHeaders } from './object-actions.js';
import { requestedAttributes, sseHeaders } from './object-attributes.js';
import { checkWriteConditions } from './object-conditions.js';
import { addVersion, currentVersion, NULL_VERSION } from './object-versions.js';
import { MAX_PUT_BYTES, receiveBody } from './receive-body.js';
import { readXmlBody } from './request-body.js';
import { bucketTarget, objectTarget, requireBucket } from './s3-access.js';
import {
  invalidArgument,
  invalidRequest,
  malformedXml,
  noSuchUpload,
  s3Error,
} from './s3-errors.js';
import type { S3Result } from './s3-protocol.js';
import type { BucketState, MultipartUpload, ObjectVersion, UploadedPart } from './s3-state.js';
import { xmlList, xmlText } from './s3-xml.js';

/** Every part but the last must be at least 5 MiB, as in AWS. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

function upload(ctx: ActionContext, bucket: BucketState): MultipartUpload {
  const uploadId = ctx.input.reqStr('uploadId');
  const found = bucket.uploads[uploadId];
  if (!found || found.key !== ctx.input.reqStr('Key')) throw noSuchUpload(uploadId);
  return found;
}

function partNumber(ctx: ActionContext): number {
  const text = ctx.input.str('partNumber') ?? '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_PARTS) {
    throw invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      text,
    );
  }
  return value;
}

const createMultipartUpload: ActionDefinition = {
  iamAction: 's3:PutObject',
  validate: checkKey,
  resources: (ctx) => [objectTarget(ctx)],
  context: writeContext,
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const key = ctx.input.reqStr('Key');
    const algorithmHeader = ctx.request.headers['x-amz-checksum-algorithm'];
    const checksumAlgorithm =
      algorithmHeader === undefined ? undefined : parseChecksumAlgorithm(algorithmHeader);
    if (algorithmHeader !== undefined && checksumAlgorithm === undefined) {
      throw invalidRequest('Checksum algorithm provided is unsupported.');
    }
    const uploadId = randomBytes(48).toString('base64url');
    const attributes = requestedAttributes(ctx, bucket);
    bucket.uploads[uploadId] = {
      ...attributes,
      uploadId,
      key,
      initiated: ctx.clock.now().toISOString(),
      initiatorArn: ctx.caller.arn,
      ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
      parts: {},
    };
    return {
      headers: {
        ...sseHeaders(attributes.sse),
        ...(checksumAlgorithm ? { 'x-amz-checksum-algorithm': checksumAlgorithm } : {}),
      },
      xml: {
        root: 'InitiateMultipartUploadResult',
        value: { Bucket: bucket.name, Key: key, UploadId: uploadId },
      },
    };
  },
};

const uploadPart: ActionDefinition = {
  iamAction: 's3:PutObject',
  resources: (ctx) => [objectTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const number = partNumber(ctx);
    const target = upload(ctx, bucket);
    const body = await receiveBody(ctx, { kind: 'blob', maxBytes: MAX_PUT_BYTES });
    // The upload may have been completed or aborted while the part streamed in.
    if (bucket.uploads[target.uploadId] !== target) throw noSuchUpload(target.uploadId);
    const part: UploadedPart = {
      partNumber: number,
      etag: `"${body.md5Hex}"`,
      size: body.size,
      lastModified: ctx.clock.now().toISOString(),
      segment: { blob: body.blob ?? '', offset: 0, length: body.size },
      ...(body.checksum ? { checksum: body.checksum } : {}),
    };
    target.parts[String(number)] = part;
    return {
      headers: {
        etag: part.etag,
        ...sseHeaders(target.sse),
        ...(body.checksum
          ? { [checksumHeader(body.checksum.algorithm)]: body.checksum.value }
          : {}),
      },
    };
  },
};

function invalidPart(partNumberText: string, etag: string): Error {
  return s3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { PartNumber: partNumberText, ETag: etag },
  );
}

const completeMultipartUpload: ActionDefinition = {
  iamAction: 's3:PutObject',
  resources: (ctx) => [objectTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const key = ctx.input.reqStr('Key');
    const target = upload(ctx, bucket);
    const document = await readXmlBody(ctx, 'CompleteMultipartUpload');
    const listed = xmlList(document?.['Part']);
    if (listed.length === 0) throw malformedXml();
    const parts: UploadedPart[] = [];
    let previous = 0;
    for (const entry of listed) {
      const numberText = xmlText(entry, 'PartNumber') ?? '';
      const etag = xmlText(entry, 'ETag') ?? '';
      const number = Number(numberText);
      if (!/^\d+$/.test(numberText)) throw malformedXml();
      if (number <= previous) {
        throw s3Error(
          'InvalidPartOrder',
          'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
          400,
        );
      }
      previous = number;
      const part = target.parts[String(number)];
      if (!part || part.etag.replace(/"/g, '') !== etag.replace(/"/g, '')) {
        throw invalidPart(numberText, etag);
      }
      if (part.checksum) {
        const claimed = xmlText(entry, `Checksum${part.checksum.algorithm}`);
        if (claimed !== undefined && claimed !== part.checksum.value)
          throw invalidPart(numberText, etag);
      }
      parts.push(part);
    }
    for (const [index, part] of parts.entries()) {
      if (index < parts.length - 1 && part.size < MIN_PART_BYTES) {
        throw s3Error(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size',
          400,
          {
            ProposedSize: String(part.size),
            MinSizeAllowed: String(MIN_PART_BYTES),
            PartNumber: String(part.partNumber),
            ETag: part.etag,
          },
        );
      }
    }
    checkWriteConditions(ctx.request.headers, key, currentVersion(bucket, key));
    const md5s = Buffer.concat(
      parts.map((part) => Buffer.from(part.etag.replace(/"/g, ''), 'hex')),
    );
    const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
    const {
      uploadId: _uploadId,
      key: _key,
      initiated: _initiated,
      initiatorArn: _initiator,
      checksumAlgorithm: _algorithm,
      parts: _parts,
      ...attributes
    } = target;
    const version: ObjectVersion = {
      ...attributes,
      versionId: NULL_VERSION,
      lastModified: ctx.clock.now().toISOString(),
      etag,
      size: parts.reduce((sum, part) => sum + part.size, 0),
      segments: parts.map((part) => ({ ...part.segment })),
      partsCount: parts.length,
    };
    version.versionId = addVersion(bucket, key, version);
    delete bucket.uploads[target.uploadId];
    const headers = writeHeaders(bucket, version);
    delete headers['etag'];
    return {
      headers,
      xml: {
        root: 'CompleteMultipartUploadResult',
        value: {
          Location: `${ctx.request.headers['host'] !== undefined ? `http://${ctx.request.headers['host']}` : ''}/${bucket.name}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
          Bucket: bucket.name,
          Key: key,
          ETag: etag,
        },
      },
    };
  },
};

const abortMultipartUpload: ActionDefinition = {
  resources: (ctx) => [objectTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    delete bucket.uploads[upload(ctx, bucket).uploadId];
    return { status: 204 };
  },
};

const listParts: ActionDefinition = {
  iamAction: 's3:ListMultipartUploadParts',
  resources: (ctx) => [objectTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const target = upload(ctx, bucket);
    const maxText = ctx.input.str('max-parts') ?? '1000';
    const markerText = ctx.input.str('part-number-marker') ?? '0';
    if (!/^\d+$/.test(maxText)) throw invalidArgument('Invalid max-parts', 'max-parts', maxText);
    if (!/^\d+$/.test(markerText)) {
      throw invalidArgument('Invalid part-number-marker', 'part-number-marker', markerText);
    }
    const max = Math.min(Number(maxText), 1000);
    const all = Object.values(target.parts)
      .filter((part) => part.partNumber > Number(markerText))
      .sort((a, b) => a.partNumber - b.partNumber);
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const initiator = { ID: target.initiatorArn, DisplayName: target.initiatorArn };
    return {
      xml: {
        root: 'ListPartsResult',
        value: {
          Bucket: bucket.name,
          Key: target.key,
          UploadId: target.uploadId,
          PartNumberMarker: Number(markerText),
          ...(truncated ? { NextPartNumberMarker: page.at(-1)?.partNumber ?? 0 } : {}),
          MaxParts: max,
          IsTruncated: truncated,
          Part: page.map((part) => ({
            PartNumber: part.partNumber,
            LastModified: new Date(part.lastModified),
            ETag: part.etag,
            Size: part.size,
            ...(part.checksum
              ? { [`Checksum${part.checksum.algorithm}`]: part.checksum.value }
              : {}),
          })),
          Initiator: initiator,
          Owner: ownerElement(ctx, bucket.accountId),
          StorageClass: target.storageClass,
          ...(target.checksumAlgorithm ? { ChecksumAlgorithm: target.checksumAlgorithm } : {}),
        },
      },
    };
  },
};

const listMultipartUploads: ActionDefinition = {
  iamAction: 's3:ListBucketMultipartUploads',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const prefix = ctx.input.str('prefix') ?? '';
    const maxText = ctx.input.str('max-uploads') ?? '1000';
    if (!/^\d+$/.test(maxText))
      throw invalidArgument('Invalid max-uploads', 'max-uploads', maxText);
    const max = Math.min(Number(maxText), 1000);
    const all = Object.values(bucket.uploads)
      .filter((item) => item.key.startsWith(prefix))
      .sort((a, b) =>
        a.key === b.key ? a.initiated.localeCompare(b.initiated) : a.key < b.key ? -1 : 1,
      );
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const last = page.at(-1);
    return {
      xml: {
        root: 'ListMultipartUploadsResult',
        value: {
          Bucket: bucket.name,
          KeyMarker: '',
          UploadIdMarker: '',
          ...(truncated && last
            ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId }
            : {}),
          Prefix: prefix,
          MaxUploads: max,
          IsTruncated: truncated,
          Upload: page.map((item) => ({
            Key: item.key,
            UploadId: item.uploadId,
            Initiator: { ID: item.initiatorArn, DisplayName: item.initiatorArn },
            Owner: ownerElement(ctx, bucket.accountId),
            StorageClass: item.storageClass,
            Initiated: new Date(item.initiated),
          })),
        },
      },
    };
  },
};

/** Multipart upload actions. */
export const MULTIPART_ACTIONS: Record<string, ActionDefinition> = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
};
