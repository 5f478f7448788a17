// The XML request documents of S3 bucket configuration calls (PutBucketVersioning, …), built from
// CloudFormation's property shapes. Arrays become repeated elements, as S3 expects.
import { escapeXml } from '../../../protocols/xml.js';

/** A value of an S3 request document. */
export type S3DocValue =
  string | number | boolean | undefined | S3DocValue[] | { [key: string]: S3DocValue };

function children(value: { [key: string]: S3DocValue }): string {
  let out = '';
  for (const [name, child] of Object.entries(value)) {
    for (const item of Array.isArray(child) ? child : [child]) {
      if (item === undefined) continue;
      out +=
        typeof item === 'object' && !Array.isArray(item)
          ? `<${name}>${children(item)}</${name}>`
          : `<${name}>${escapeXml(typeof item === 'object' ? JSON.stringify(item) : String(item))}</${name}>`;
    }
  }
  return out;
}

/** `<?xml …?><root xmlns="http://s3.amazonaws.com/doc/2006-03-01/">…</root>`. */
export function s3Document(root: string, value: { [key: string]: S3DocValue }): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${children(value)}</${root}>`
  );
}
