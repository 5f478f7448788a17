import { isRampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { formatImageReference, parseImageReference } from './image-reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function failure(input: string): { code: string; message: string; hint: string | undefined } {
  try {
    parseImageReference(input);
  } catch (error) {
    if (isRampartError(error))
      return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error(`"${input}" parsed`);
}

describe('parseImageReference', () => {
  it.each([
    ['127.0.0.1:5000/app:v1', { registry: '127.0.0.1:5000', repository: 'app', tag: 'v1' }],
    [
      '127.0.0.1:4566/222222222222/us-east-1/team/web:1.2.3-rc_1',
      {
        registry: '127.0.0.1:4566',
        repository: '222222222222/us-east-1/team/web',
        tag: '1.2.3-rc_1',
      },
    ],
    [`ghcr.io/org/app@${DIGEST}`, { registry: 'ghcr.io', repository: 'org/app', digest: DIGEST }],
    [
      `localhost:5000/a/b:v2@${DIGEST}`,
      { registry: 'localhost:5000', repository: 'a/b', tag: 'v2', digest: DIGEST },
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['[::1]:5000/app:v1', { registry: '[::1]:5000', repository: 'app', tag: 'v1' }],
    ['docker://quay.io/a/b_c__d-e:x', { registry: 'quay.io', repository: 'a/b_c__d-e', tag: 'x' }],
    // Docker Hub's API is not on docker.io itself.
    [
      'docker.io/library/nginx:1',
      { registry: 'registry-1.docker.io', repository: 'library/nginx', tag: '1' },
    ],
  ])('parses %s', (input, expected) => {
    expect(parseImageReference(input)).toEqual(expected);
  });

  it('prints references back', () => {
    for (const input of [
      '127.0.0.1:5000/app:v1',
      `ghcr.io/org/app:v1@${DIGEST}`,
      'localhost/app',
    ]) {
      expect(formatImageReference(parseImageReference(input))).toBe(input);
    }
  });

  it('refuses a reference without a registry host instead of assuming Docker Hub', () => {
    for (const input of ['nginx:1', 'library/nginx', 'team/app:v1']) {
      const error = failure(input);
      expect(error.code).toBe('IMAGE_REFERENCE_INVALID');
      expect(error.message).toContain('names no registry host');
      expect(error.hint).toContain('does not assume Docker Hub');
    }
  });

  it.each([
    ['', 'is empty'],
    ['127.0.0.1:5000/App:v1', 'invalid repository path component "App"'],
    ['127.0.0.1:5000/app:-v1', 'invalid tag "-v1"'],
    ['127.0.0.1:5000/app@sha256:abc', 'malformed digest "sha256:abc"'],
    [`127.0.0.1:5000/app@md5:${'a'.repeat(32)}`, 'malformed digest'],
    ['127.0.0.1:5000/', 'names no repository'],
    ['bad_host.example/app', 'invalid registry host "bad_host.example"'],
    ['127.0.0.1:5000/a//b', 'invalid repository path component ""'],
  ])('refuses %j', (input, message) => {
    const error = failure(input);
    expect(error.code).toBe('IMAGE_REFERENCE_INVALID');
    expect(error.message).toContain(message);
  });
});
