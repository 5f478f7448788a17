// Opaque pagination tokens shared by every service (base64 of an offset).
import type { AwsError } from './aws-error.js';

/** One page of `items` after `token`; throws `invalidToken` for tokens the sandbox did not issue. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  pageSize: number,
  invalidToken: () => AwsError,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined && token !== '') {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match) throw invalidToken();
    start = Number(match[1]);
  }
  const page = items.slice(start, start + pageSize);
  const end = start + page.length;
  return end < items.length
    ? { page, nextToken: Buffer.from(`offset:${end}`, 'utf8').toString('base64url') }
    : { page };
}
