/** Secrets on Kysely: one row per secret, its current version only. */
import { randomUUID } from 'node:crypto';
import { RampartError } from '@rampart/core';
import type { Selectable } from 'kysely';
import type { StoreConnection } from '../connection/store-connection.js';
import type { SecretsTable } from '../database-schema.js';
import { requireOneOf, requireText } from '../values/checks.js';
import { SECRET_SCOPES, SECRET_STORAGES } from './secret-store.js';
import type {
  SecretInfo,
  SecretMaterial,
  SecretRef,
  SecretStore,
  SecretWrite,
  StoredSecret,
} from './secret-store.js';

/** The row's (scope, stage) key: stage '' for organization secrets. */
function keyOf(ref: SecretRef): { name: string; scope: SecretRef['scope']; stage: string } {
  const scope = requireOneOf(ref.scope, SECRET_SCOPES, 'scope');
  const name = requireText(ref.name, 'name');
  if (scope === 'organization') {
    if (ref.stage !== undefined) {
      throw new RampartError('STORE_VALUE_UNSUPPORTED', 'an organization secret has no stage', {
        source: 'system',
      });
    }
    return { name, scope, stage: '' };
  }
  return { name, scope, stage: requireText(ref.stage ?? '', 'stage') };
}

function materialColumns(material: SecretMaterial) {
  const storage = requireOneOf(material.storage, SECRET_STORAGES, 'storage');
  if (material.storage === 'secrets-manager') {
    return {
      storage,
      ciphertext: null,
      wrapped_key: null,
      key_id: null,
      secrets_manager_arn: requireText(material.arn, 'arn'),
    };
  }
  return {
    storage,
    ciphertext: requireText(material.ciphertext, 'ciphertext'),
    wrapped_key: requireText(material.wrappedKey, 'wrappedKey'),
    key_id: requireText(material.keyId, 'keyId'),
    secrets_manager_arn: null,
  };
}

function toInfo(row: Selectable<SecretsTable>): SecretInfo {
  const scope = requireOneOf(row.scope, SECRET_SCOPES, 'secrets.scope');
  return {
    name: row.name,
    scope,
    ...(scope === 'stage' ? { stage: row.stage } : {}),
    version: row.version,
    ...(row.description === null ? {} : { description: row.description }),
    storage: requireOneOf(row.storage, SECRET_STORAGES, 'secrets.storage'),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toStored(row: Selectable<SecretsTable>): StoredSecret {
  const info = toInfo(row);
  const material: SecretMaterial =
    info.storage === 'secrets-manager'
      ? { storage: 'secrets-manager', arn: row.secrets_manager_arn ?? '' }
      : {
          storage: info.storage,
          ciphertext: row.ciphertext ?? '',
          wrappedKey: row.wrapped_key ?? '',
          keyId: row.key_id ?? '',
        };
  return { ...info, material };
}

/** {@link SecretStore} on SQLite or PostgreSQL. */
export class KyselySecretStore implements SecretStore {
  readonly #connection: StoreConnection;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
  }

  async put(write: SecretWrite): Promise<SecretInfo> {
    const key = keyOf(write);
    const columns = materialColumns(write.material);
    const actor = requireText(write.actor, 'actor');
    const now = this.#connection.now();
    const row = await this.#connection.write(async (trx) => {
      // The unique index makes a racing second create fail the insert; the update below is
      // then what the loser should have done, so it retries once as an update.
      for (let attempt = 0; ; attempt++) {
        const existing = await trx
          .selectFrom('secrets')
          .selectAll()
          .where('scope', '=', key.scope)
          .where('stage', '=', key.stage)
          .where('name', '=', key.name)
          .executeTakeFirst();
        if (existing !== undefined) {
          const updated = {
            ...existing,
            ...columns,
            version: existing.version + 1,
            ...(write.description === undefined ? {} : { description: write.description }),
            updated_at: now,
            updated_by: actor,
          };
          await trx
            .updateTable('secrets')
            .set({
              ...columns,
              version: updated.version,
              description: updated.description,
              updated_at: now,
              updated_by: actor,
            })
            .where('id', '=', existing.id)
            .execute();
          return updated;
        }
        const created = {
          id: randomUUID(),
          ...key,
          version: 1,
          description: write.description ?? null,
          ...columns,
          created_at: now,
          created_by: actor,
          updated_at: now,
          updated_by: actor,
        };
        const result = await trx
          .insertInto('secrets')
          .values(created)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (result.numInsertedOrUpdatedRows === 1n || attempt > 0) return created;
      }
    });
    return toInfo(row);
  }

  async get(ref: SecretRef): Promise<StoredSecret | undefined> {
    const key = keyOf(ref);
    const row = await this.#connection.db
      .selectFrom('secrets')
      .selectAll()
      .where('scope', '=', key.scope)
      .where('stage', '=', key.stage)
      .where('name', '=', key.name)
      .executeTakeFirst();
    return row === undefined ? undefined : toStored(row);
  }

  async list(): Promise<SecretInfo[]> {
    const rows = await this.#connection.db
      .selectFrom('secrets')
      .selectAll()
      .orderBy('scope')
      .orderBy('stage')
      .orderBy('name')
      .execute();
    return rows.map(toInfo);
  }

  async delete(ref: SecretRef): Promise<boolean> {
    const key = keyOf(ref);
    const result = await this.#connection.write((trx) =>
      trx
        .deleteFrom('secrets')
        .where('scope', '=', key.scope)
        .where('stage', '=', key.stage)
        .where('name', '=', key.name)
        .executeTakeFirst(),
    );
    return result.numDeletedRows === 1n;
  }
}
