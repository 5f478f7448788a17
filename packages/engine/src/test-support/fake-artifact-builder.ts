/**
 * An artifact builder for tests: builds succeed at once with fields derived from the request, or
 * wait on a gate the test opens (`hold`), fail with a given message, or reuse the previous build.
 * It counts how many builds run at once and which were aborted.
 */
import type { ArtifactBuilder, BuildRequest, BuildResult } from '../ports/artifact-builder.js';
import { deferred, type Deferred } from './deferred.js';

export interface FakeArtifactBuilderOptions {
  /** Builds wait until `succeed`/`fail` releases them. @default false: they end at once */
  hold?: boolean;
  /** Artifact ids whose build fails, with the builder's message. */
  failures?: Record<string, string>;
  /** Answer `reusedFrom` whenever a previous build is passed. @default false */
  reuse?: boolean;
}

/** The key of a build: the artifact id, with the stage for `per_stage` builds (`staging/api`). */
export function buildKey(request: Pick<BuildRequest, 'artifact' | 'stage'>): string {
  return request.stage === undefined
    ? request.artifact.id
    : `${request.stage.stage}/${request.artifact.id}`;
}

export class FakeArtifactBuilder implements ArtifactBuilder {
  readonly requests: BuildRequest[] = [];
  /** Keys of builds whose signal aborted while they ran. */
  readonly aborted: string[] = [];
  running = 0;
  maxRunning = 0;
  private readonly gates = new Map<string, Deferred<BuildResult>>();

  constructor(private readonly options: FakeArtifactBuilderOptions = {}) {}

  /** The fields a build of `request` reports: an image pinned by digest, or a bundle key. */
  static fieldsFor(request: Pick<BuildRequest, 'artifact' | 'commitSha'>): Record<string, string> {
    const { artifact, commitSha } = request;
    const where = `${artifact.destination.accountId}.${artifact.destination.region}`;
    if (artifact.kind === 'image') {
      const digest = `sha256:${commitSha}${artifact.id}`;
      return {
        image_url: `${where}/${artifact.destination.repository ?? artifact.id}@${digest}`,
        image_tag: commitSha,
        image_digest: digest,
      };
    }
    const bucket = artifact.destination.bucket ?? artifact.id;
    const key = `${commitSha}/${artifact.id}.zip`;
    return { s3_url: `s3://${bucket}/${key}`, s3_bucket: bucket, s3_key: key };
  }

  /** Keys of the builds waiting on their gate now. */
  get waiting(): string[] {
    return [...this.gates.keys()];
  }

  async build(request: BuildRequest): Promise<BuildResult> {
    this.requests.push(request);
    const key = buildKey(request);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      request.log(`building ${request.artifact.name}`);
      const failure = this.options.failures?.[request.artifact.id];
      if (failure !== undefined && this.options.hold !== true) throw new Error(failure);
      if (this.options.reuse === true && request.previous !== undefined) {
        return {
          fields: { ...request.previous.fields },
          reusedFrom: {
            revision: request.previous.revision,
            commitSha: request.previous.commitSha,
          },
        };
      }
      if (this.options.hold !== true) return { fields: FakeArtifactBuilder.fieldsFor(request) };
      const gate = deferred<BuildResult>();
      this.gates.set(key, gate);
      const onAbort = () => {
        this.aborted.push(key);
        gate.reject(new Error(`build of ${key} aborted`));
      };
      request.signal.addEventListener('abort', onAbort, { once: true });
      try {
        return await gate.promise;
      } finally {
        request.signal.removeEventListener('abort', onAbort);
        this.gates.delete(key);
      }
    } finally {
      this.running -= 1;
    }
  }

  /** Ends the held build `key` with the fields of its last request. */
  succeed(key: string): void {
    const request = [...this.requests].reverse().find((r) => buildKey(r) === key);
    const gate = this.gates.get(key);
    if (request === undefined || gate === undefined) throw new Error(`no build ${key} is waiting`);
    gate.resolve({ fields: FakeArtifactBuilder.fieldsFor(request) });
  }

  /** Fails the held build `key` with `message`. */
  fail(key: string, message: string): void {
    const gate = this.gates.get(key);
    if (gate === undefined) throw new Error(`no build ${key} is waiting`);
    gate.reject(new Error(message));
  }
}
