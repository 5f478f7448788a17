/** User-managed secrets: Secrets Manager in the CI/CD account, under `rampart/`. */
import type { SecretRef } from '@rampart/store';

/** Reads secrets the user keeps in Secrets Manager (the AWS adapter implements it). */
export interface UserSecretSource {
  /** The ARN of the secret called `name`; throws `SECRET_NOT_FOUND` when there is none. */
  locate(name: string): Promise<string>;
  /** The current value of the secret `arn`; throws `SECRET_UNAVAILABLE` when it cannot be read. */
  read(arn: string): Promise<string>;
}

/** `rampart/organization/<name>` or `rampart/stage/<stage>/<name>`. */
export function userSecretName(ref: SecretRef): string {
  return ref.scope === 'organization'
    ? `rampart/organization/${ref.name}`
    : `rampart/stage/${ref.stage ?? ''}/${ref.name}`;
}
