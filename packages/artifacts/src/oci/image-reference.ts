/** Image references `host[:port]/repository[:tag][@digest]`: parsing, checking and printing. */
import { RampartError } from '@rampart/core';
import { isDigest } from './digest.js';

/** One image in one registry, by tag, by digest, or both. */
export interface ImageReference {
  /** `host` or `host:port` (IPv6 in brackets), as it appears in the reference. */
  registry: string;
  /** The repository path inside the registry, e.g. `222222222222/us-east-1/app`. */
  repository: string;
  /** The tag, when the reference names one. */
  tag?: string;
  /** The manifest digest, when the reference names one; it wins over the tag. */
  digest?: string;
}

const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(
  `^(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
/** Registries whose API lives on another host than the name people write. */
const API_HOSTS: Readonly<Record<string, string>> = {
  'docker.io': 'registry-1.docker.io',
  'index.docker.io': 'registry-1.docker.io',
};

const HINT =
  'Write `registry/repository:tag` or `registry/repository@sha256:…` with the registry host first, e.g. `127.0.0.1:5000/team/app:v1`.';

function invalid(input: string, why: string, hint = HINT): RampartError {
  return new RampartError('IMAGE_REFERENCE_INVALID', `image reference "${input}" ${why}`, {
    source: 'user',
    hint,
  });
}

/**
 * Parses `host[:port]/repository[:tag][@digest]` (a leading `docker://` is allowed). The registry
 * host is required: a reference without one (`nginx:1`, `library/nginx`) is refused rather than
 * guessed, because mirroring from the wrong registry is worse than an error.
 */
export function parseImageReference(input: string): ImageReference {
  const text = input.startsWith('docker://') ? input.slice('docker://'.length) : input;
  if (text === '') throw invalid(input, 'is empty');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) {
      throw invalid(
        input,
        `has a malformed digest "${digest}"`,
        'A digest is `sha256:` followed by 64 lower-case hex digits (or `sha512:` and 128).',
      );
    }
  }
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  const looksLikeHost =
    slash !== -1 &&
    (host.includes('.') || host.includes(':') || host === 'localhost' || host.startsWith('['));
  if (!looksLikeHost) {
    throw invalid(
      input,
      'names no registry host',
      `Put the registry first, e.g. \`registry-1.docker.io/library/${rest.replace(/^library\//, '') || 'app'}\` or \`127.0.0.1:5000/${rest || 'app'}\`; Rampart does not assume Docker Hub.`,
    );
  }
  if (!HOST.test(host)) throw invalid(input, `has an invalid registry host "${host}"`);
  let path = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon !== -1) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) {
      throw invalid(
        input,
        `has an invalid tag "${tag}"`,
        'A tag is up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.',
      );
    }
  }
  if (path === '') throw invalid(input, 'names no repository');
  const bad = path.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) {
    throw invalid(
      input,
      `has an invalid repository path component "${bad}"`,
      'Repository names are lower-case letters and digits, separated by `.`, `_`, `__` or `-` within a component and `/` between components.',
    );
  }
  return {
    registry: API_HOSTS[host] ?? host,
    repository: path,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Prints a reference back: `registry/repository[:tag][@digest]`. */
export function formatImageReference(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}${reference.tag === undefined ? '' : `:${reference.tag}`}${reference.digest === undefined ? '' : `@${reference.digest}`}`;
}
