// OIDC provider URLs: https everywhere, http allowed for loopback issuers (sandbox-only relaxation).
import { validationError } from './iam-errors.js';

/** The provider id of an issuer URL: scheme removed, trailing slash removed (`127.0.0.1:8080/x`). */
export function providerUrl(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** Whether a host is loopback (`127.x.x.x`, `localhost`, `[::1]`). */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Validates an issuer URL as IAM does, with `http://` accepted on loopback. */
export function checkIssuerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw validationError(`Invalid URL: ${url}`);
  }
  if (
    parsed.search !== '' ||
    parsed.hash !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    throw validationError(`The URL must not contain a query, fragment or user info: ${url}`);
  }
  if (parsed.protocol === 'https:') return url;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return url;
  throw validationError(
    `The URL must begin with https:// (http:// is accepted for loopback issuers only): ${url}`,
  );
}
