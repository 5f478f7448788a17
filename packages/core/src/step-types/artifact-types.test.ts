import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_ARCHITECTURES,
  ARTIFACT_TYPES,
  BUNDLE_ARTIFACT_FIELDS,
  IMAGE_ARTIFACT_FIELDS,
  type ArtifactTypeId,
} from './artifact-types.js';

function issues(id: ArtifactTypeId, params: unknown): string[] {
  const result = ARTIFACT_TYPES[id].params.safeParse(params);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('artifact types', () => {
  it('sorts types into images and bundles with their expression fields', () => {
    for (const id of ['RAMPART:DOCKER:BUILD', 'RAMPART:DOCKER:IMPORT'] as const) {
      expect(ARTIFACT_TYPES[id].kind).toBe('image');
      expect(ARTIFACT_TYPES[id].fields).toEqual(['image_url', 'image_tag', 'image_digest']);
    }
    for (const id of ['RAMPART:BUNDLE:BUILD', 'RAMPART:BUNDLE:IMPORT'] as const) {
      expect(ARTIFACT_TYPES[id].kind).toBe('bundle');
      expect(ARTIFACT_TYPES[id].fields).toEqual(['s3_url', 's3_bucket', 's3_key']);
    }
    expect(IMAGE_ARTIFACT_FIELDS).not.toContain('s3_url');
    expect(BUNDLE_ARTIFACT_FIELDS).not.toContain('image_url');
    expect(ARTIFACT_ARCHITECTURES).toEqual(['linux/amd64', 'linux/arm64']);
  });
});

describe('DOCKER:BUILD params', () => {
  const id = 'RAMPART:DOCKER:BUILD';

  it('requires dockerfile and defaults build_root to /', () => {
    expect(ARTIFACT_TYPES[id].params.parse({ dockerfile: 'Dockerfile' })).toEqual({
      dockerfile: 'Dockerfile',
      build_root: '/',
    });
    expect(issues(id, {})[0]).toMatch(/^dockerfile: /);
  });

  it('takes args as KEY=VALUE strings', () => {
    expect(
      issues(id, {
        dockerfile: 'D',
        args: ['NODE=20', 'SHA=${{ trigger.sha }}', '${{ vars.arg }}'],
      }),
    ).toEqual([]);
    expect(issues(id, { dockerfile: 'D', args: ['NODE'] })).toEqual([
      'args.0: expected a KEY=VALUE build argument, or an expression ${{ … }}',
    ]);
    expect(issues(id, { dockerfile: 'D', args: { NODE: '20' } })[0]).toMatch(
      /^args: expected a list of strings/,
    );
  });

  it('is strict: common artifact keys belong to the pipeline schema, not params', () => {
    expect(issues(id, { dockerfile: 'D', architecture: 'linux/amd64' })[0]).toMatch(
      /Unrecognized key/,
    );
  });
});

describe('DOCKER:IMPORT params', () => {
  it('requires source_image_url', () => {
    expect(
      issues('RAMPART:DOCKER:IMPORT', { source_image_url: 'nginx:1.27', timeout_minutes: 10 }),
    ).toEqual([]);
    expect(issues('RAMPART:DOCKER:IMPORT', { timeout_minutes: 10 })[0]).toMatch(
      /^source_image_url: /,
    );
    expect(
      issues('RAMPART:DOCKER:IMPORT', { source_image_url: 'x', timeout_minutes: -1 })[0],
    ).toMatch(/^timeout_minutes: /);
  });
});

describe('BUNDLE:BUILD params', () => {
  const id = 'RAMPART:BUNDLE:BUILD';

  it('takes build_commands as a string or a list, and requires file_path', () => {
    expect(issues(id, { build_commands: 'npm ci\nnpm run zip', file_path: 'out/app.zip' })).toEqual(
      [],
    );
    expect(
      issues(id, { build_commands: ['npm ci', 'npm run zip'], file_path: 'out/app.zip' }),
    ).toEqual([]);
    expect(issues(id, { build_commands: [], file_path: 'x.zip' }).length).toBeGreaterThan(0);
    expect(issues(id, { build_commands: 'make' })[0]).toMatch(/^file_path: /);
  });
});

describe('BUNDLE:IMPORT params', () => {
  const id = 'RAMPART:BUNDLE:IMPORT';
  const ok = {
    source_account: '123456789012',
    source_region: 'us-east-1',
    source_s3_url: 's3://b/k.zip',
  };

  it('requires account, region and URL, and checks each', () => {
    expect(issues(id, ok)).toEqual([]);
    expect(issues(id, { ...ok, source_region: '${{ vars.region }}' })).toEqual([]);
    expect(issues(id, { ...ok, source_account: '12345' })[0]).toMatch(
      /^source_account: expected a 12-digit/,
    );
    expect(issues(id, { ...ok, source_account: 123456789012 })[0]).toMatch(/^source_account: /);
    expect(issues(id, { ...ok, source_region: 'us-east1' })[0]).toMatch(
      /^source_region: expected an AWS region/,
    );
    expect(issues(id, { ...ok, source_s3_url: 'https://b.s3.amazonaws.com/k' })[0]).toMatch(
      /^source_s3_url: /,
    );
    expect(
      issues(id, { source_s3_url: 's3://b/k' })
        .map((i) => i.split(':')[0])
        .sort(),
    ).toEqual(['source_account', 'source_region']);
  });
});
