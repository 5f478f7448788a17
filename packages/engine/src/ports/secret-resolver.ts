/**
 * Secret values, as a port: asked just before a step runs for the secrets its params name, so
 * values live only in that step's memory and environment (the server decrypts them).
 */
import type { StageTarget } from '../model/pipeline-state.js';

/** One secret a step's params (or an artifact's build params) reference through a marker. */
export interface SecretReference {
  /** `organization` for `secret("X")`, `stage` for `stage_secret("X")` (the target's stage). */
  scope: 'organization' | 'stage';
  name: string;
  /** The marker in the params: `[SECRET:X]` or `[STAGE_SECRET:X]`. */
  marker: string;
}

/** What {@link SecretResolver.resolve} is asked. */
export interface SecretRequest {
  /** Whose stage the stage secrets are (`target.stage`), for permission and messages. */
  target: StageTarget;
  /** The deployment that asks, for audit. @default absent (rollbacks) */
  deploymentId?: string;
  secrets: readonly SecretReference[];
}

export interface SecretResolver {
  /**
   * The value of each requested secret, by marker. Throws (a RampartError naming the secret and
   * its scope) when one does not exist or cannot be decrypted; the step then fails.
   */
  resolve(request: SecretRequest): Promise<Map<string, string>>;
}

/** Knows no secrets: any reference fails the step. */
export const noSecretResolver: SecretResolver = {
  resolve(request) {
    const first = request.secrets[0];
    if (first === undefined) return Promise.resolve(new Map());
    return Promise.reject(
      new Error(
        `${first.scope} secret "${first.name}" cannot be read: this runtime has no secret store`,
      ),
    );
  },
};
