/** Migration 3: secrets, encrypted (or a reference to Secrets Manager); never their values in clear. */
import type { Migration } from './migration.js';

export const secrets: Migration = {
  version: 3,
  name: 'secrets',
  async up(db) {
    await db.schema
      .createTable('secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      // '' for organization secrets: NULLs are distinct in unique indexes on both databases, and
      // the index below must also keep organization names unique.
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('storage', 'text', (c) => c.notNull())
      .addColumn('ciphertext', 'text')
      .addColumn('wrapped_key', 'text')
      .addColumn('key_id', 'text')
      .addColumn('secrets_manager_arn', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('secrets_scope_stage_name')
      .on('secrets')
      .columns(['scope', 'stage', 'name'])
      .unique()
      .execute();
  },
};
