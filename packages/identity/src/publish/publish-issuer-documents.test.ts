import { ManualClock } from '@rampart/aws-sandbox';
import { describe, expect, it } from 'vitest';
import { keyRingFromConfig } from '../issuer-from-config.js';
import { useTempDirs } from '../test-support/temp-dirs.js';
import type { DocumentWriter, PublishedDocument } from './document-writer.js';
import { publishIssuerDocuments } from './publish-issuer-documents.js';

const tempDir = useTempDirs();

/** A static host in memory: what was put, in order. */
class MemoryHost implements DocumentWriter {
  readonly puts: PublishedDocument[] = [];
  put(document: PublishedDocument): Promise<void> {
    this.puts.push(document);
    return Promise.resolve();
  }
}

describe('publishIssuerDocuments', () => {
  it('writes the JWKS, then the discovery document naming the bucket address as issuer', async () => {
    const keys = keyRingFromConfig({
      config: {},
      baseDir: tempDir(),
      clock: new ManualClock('2026-03-01T10:00:00Z'),
    });
    const host = new MemoryHost();
    const result = await publishIssuerDocuments({
      keys,
      bucket: 'acme-oidc',
      prefix: 'rampart',
      region: 'eu-west-1',
      writer: host,
    });
    const issuer = 'https://acme-oidc.s3.eu-west-1.amazonaws.com/rampart';
    expect(result.issuerUrl).toBe(issuer);
    expect(host.puts.map((p) => p.key)).toEqual([
      'rampart/.well-known/jwks.json',
      'rampart/.well-known/openid-configuration',
    ]);
    expect(host.puts.every((p) => p.contentType === 'application/json')).toBe(true);
    const [jwks, discovery] = host.puts.map((p) => JSON.parse(p.body) as Record<string, unknown>);
    expect(discovery).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` });
    const active = await keys.list();
    expect(active).toHaveLength(1);
    expect(jwks).toEqual({ keys: [expect.objectContaining({ kid: active[0]?.kid, kty: 'RSA' })] });
    expect(result.kids).toEqual([active[0]?.kid]);
    expect(result.documents).toEqual([
      {
        key: 'rampart/.well-known/openid-configuration',
        url: `${issuer}/.well-known/openid-configuration`,
      },
      { key: 'rampart/.well-known/jwks.json', url: `${issuer}/.well-known/jwks.json` },
    ]);
  });
});
