// Whether a task can pull a container image, and the digest it gets. Images in a sandbox or ECR
// repository must exist and be pullable by the task's account (repository policy for other
// accounts); any other image (`nginx:latest`, `public.ecr.aws/…`) is taken as pullable, with
// the digest written in its URI (`…@sha256:…`) when it has one.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { mayPull, resolveImage } from '../ecr/image-lookup.js';

/** The outcome of a pull. */
export type PullResult = { ok: true; digest?: string } | { ok: false; reason: string };

const ECR_HOST = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;
const DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** `<host>/<account>/<region>/<repository>`: the sandbox registry's URIs, under any host name. */
const SANDBOX_REPOSITORY = /^[^/]+\/\d{12}\/[a-z]{2}(?:-[a-z]+)+-\d+\/./;

/** Whether an image URI names a repository of the sandbox registry or of ECR. */
export function isRegistryImage(image: string): boolean {
  return ECR_HOST.test(image) || SANDBOX_REPOSITORY.test(image);
}

/** Pulls `image` for a task in `accountId`. */
export function pullImage(runtime: SandboxRuntime, image: string, accountId: string): PullResult {
  if (!isRegistryImage(image)) {
    const digest = DIGEST.exec(image)?.[1];
    return digest !== undefined ? { ok: true, digest } : { ok: true };
  }
  const resolved = resolveImage(runtime, image);
  if (!resolved) {
    return {
      ok: false,
      reason:
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): ` +
        `failed to resolve ref ${image}: ${image}: not found`,
    };
  }
  if (!mayPull(runtime, resolved, accountId)) {
    return {
      ok: false,
      reason:
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): ` +
        `failed to resolve ref ${image}: pull access denied, repository does not exist or may ` +
        `require authorization: authorization failed: 403 Forbidden`,
    };
  }
  return { ok: true, digest: resolved.digest };
}
