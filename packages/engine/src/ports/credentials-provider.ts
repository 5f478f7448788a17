/** Short-lived AWS credentials for a stage, as a port (the server's credential broker implements it). */
import type { StageTarget } from '../model/pipeline-state.js';

export interface StageCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When they stop working; ask again before then. */
  expiration?: Date;
}

export interface CredentialsProvider {
  /** Credentials of the stage's deployment role, fresh enough to use now. */
  credentialsFor(target: StageTarget, deploymentId?: string): Promise<StageCredentials>;
}
