// Small request documents (bucket configurations, DeleteObjects, CompleteMultipartUpload).
import type { ActionContext } from '../../framework/service.js';
import { receiveBody } from './receive-body.js';
import { parseS3Xml, type XmlNode } from './s3-xml.js';

/** Request documents are small; 2 MiB holds a DeleteObjects of 1,000 keys of 1,024 bytes. */
const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

/** The request body as text (verified like any other body). */
export async function readTextBody(ctx: ActionContext): Promise<string> {
  const body = await receiveBody(ctx, { kind: 'memory', maxBytes: MAX_DOCUMENT_BYTES });
  return (body.data ?? Buffer.alloc(0)).toString('utf8');
}

/** The request body as an XML document with root `root`; empty bodies give `undefined`. */
export async function readXmlBody(
  ctx: ActionContext,
  root: string,
): Promise<Record<string, XmlNode | XmlNode[]> | undefined> {
  const text = await readTextBody(ctx);
  if (text.trim() === '') return undefined;
  return parseS3Xml(text, root);
}
