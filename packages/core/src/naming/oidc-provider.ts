/** The IAM OIDC provider that trusts this control plane's issuer, as IAM names it. */
import type { AwsPartition } from '../aws-facts/index.js';
import { RampartError } from '../errors/index.js';

function invalidIssuer(issuerUrl: string, why: string): RampartError {
  return new RampartError('CONFIG_INVALID', `issuer_url ${JSON.stringify(issuerUrl)} ${why}`, {
    hint: 'Set issuer_url in rampart.config.yaml to the https:// address that serves /.well-known/openid-configuration.',
  });
}

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * The provider id IAM derives from an issuer URL: the URL without its scheme and trailing `/`
 * (`https://rampart.acme.example/oidc/` → `rampart.acme.example/oidc`). It names the provider's
 * ARN and prefixes the condition keys of trust policies (`<host>:sub`). `http://` is accepted for
 * loopback issuers only, which the sandbox allows and AWS never sees.
 *
 * @throws RampartError `CONFIG_INVALID` when the URL is not https (or loopback http), or holds a
 *   query, fragment or user info, which IAM rejects.
 */
export function oidcProviderHost(issuerUrl: string): string {
  let url: URL;
  try {
    url = new URL(issuerUrl);
  } catch {
    throw invalidIssuer(issuerUrl, 'is not a URL');
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw invalidIssuer(issuerUrl, 'must not hold a query, fragment or user info');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback.test(url.hostname))) {
    throw invalidIssuer(issuerUrl, 'must start with https:// (AWS fetches the keys over TLS)');
  }
  return issuerUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

/** `arn:<partition>:iam::<account>:oidc-provider/<host>`: the provider in one account. */
export function oidcProviderArn(input: {
  partition: AwsPartition;
  accountId: string;
  issuerHost: string;
}): string {
  return `arn:${input.partition}:iam::${input.accountId}:oidc-provider/${input.issuerHost}`;
}
