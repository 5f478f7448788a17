// S3's bucket naming rules (general purpose buckets).
import { s3Error } from './s3-errors.js';

/** Whether a name is a valid bucket name. */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  return !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
}

/** Throws `InvalidBucketName` unless the name is valid. */
export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw s3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, {
      BucketName: name,
    });
  }
}
