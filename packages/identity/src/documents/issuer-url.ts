/** The issuer URL and the addresses of the two documents under it. */
import { RampartError } from '@rampart/core';

/**
 * Checks an issuer URL and drops trailing slashes, so `iss`, the discovery document and the IAM
 * provider all spell it the same way. It may carry a path (`https://host/rampart`): AWS fetches
 * `<issuer>/.well-known/openid-configuration`. Throws CONFIG_INVALID for anything but an http(s)
 * URL without query, fragment or user info.
 */
export function normalizeIssuerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'is not an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalid(url, 'must start with https://');
  }
  if (
    parsed.search !== '' ||
    parsed.hash !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    throw invalid(url, 'must not hold a query, a fragment or user info');
  }
  return url.replace(/\/+$/, '');
}

/** The path part of an issuer URL: `''` or `/rampart`. */
export function issuerPath(issuer: string): string {
  return new URL(normalizeIssuerUrl(issuer)).pathname.replace(/\/+$/, '');
}

/** Where AWS reads the discovery document. */
export function discoveryUrl(issuer: string): string {
  return `${normalizeIssuerUrl(issuer)}/.well-known/openid-configuration`;
}

/** Where the key set is published (named by the discovery document's `jwks_uri`). */
export function jwksUrl(issuer: string): string {
  return `${normalizeIssuerUrl(issuer)}/.well-known/jwks.json`;
}

function invalid(url: string, problem: string): RampartError {
  return new RampartError('CONFIG_INVALID', `issuer_url ${JSON.stringify(url)} ${problem}`, {
    hint: 'Set issuer_url to the https:// address AWS fetches the discovery document from, e.g. https://rampart.example.com.',
  });
}
