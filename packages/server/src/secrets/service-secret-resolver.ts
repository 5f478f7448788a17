/** The engine's SecretResolver port over the secrets service: values read just before a step. */
import type { SecretRequest, SecretResolver } from '@rampart/engine';
import type { SecretRef } from '@rampart/store';
import type { SecretsService } from './secrets-service.js';

/** Stage secrets are those of the step's stage name (the same name in every pipeline). */
export class ServiceSecretResolver implements SecretResolver {
  readonly #secrets: SecretsService;

  constructor(secrets: SecretsService) {
    this.#secrets = secrets;
  }

  async resolve(request: SecretRequest): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const reference of request.secrets) {
      const ref: SecretRef =
        reference.scope === 'organization'
          ? { name: reference.name, scope: 'organization' }
          : { name: reference.name, scope: 'stage', stage: request.target.stage };
      values.set(reference.marker, await this.#secrets.value(ref));
    }
    return values;
  }
}
