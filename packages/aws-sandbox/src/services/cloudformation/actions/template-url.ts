// TemplateURL: templates stored in the emulated S3 (virtual-hosted or path-style URLs, including
// the sandbox's own endpoint), read with the caller's s3:GetObject permission.
import type { Readable } from 'node:stream';
import type { ActionContext } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';

/** Templates fetched from S3 may be up to 1 MB. */
export const MAX_TEMPLATE_URL_BYTES = 1_000_000;

const VIRTUAL_HOSTED = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/;
const PATH_STYLE = /^s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/;

/** The bucket and key a template URL names. */
export function parseTemplateUrl(text: string): { bucket: string; key: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw validationError('TemplateURL must be a supported URL.');
  }
  const path = url.pathname.replace(/^\//, '');
  const hosted = VIRTUAL_HOSTED.exec(url.hostname);
  if (hosted?.[1] !== undefined && !PATH_STYLE.test(url.hostname)) {
    return { bucket: hosted[1], key: decodeURIComponent(path) };
  }
  const slash = path.indexOf('/');
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || slash <= 0) {
    throw validationError('TemplateURL must be a supported URL.');
  }
  return { bucket: path.slice(0, slash), key: decodeURIComponent(path.slice(slash + 1)) };
}

async function collect(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as Readable) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_TEMPLATE_URL_BYTES) {
      (body as Readable).destroy();
      throw validationError(`Template may not exceed ${MAX_TEMPLATE_URL_BYTES} bytes in size.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a template from S3 as the caller. */
export async function fetchTemplate(ctx: ActionContext, templateUrl: string): Promise<string> {
  const { bucket, key } = parseTemplateUrl(templateUrl);
  let output: unknown;
  try {
    output = await ctx.invoke('s3', 'GetObject', { Bucket: bucket, Key: key }, { body: '' });
  } catch {
    throw validationError('TemplateURL must reference a valid S3 object to which you have access.');
  }
  return collect((output as { body?: unknown } | undefined)?.body ?? '');
}
