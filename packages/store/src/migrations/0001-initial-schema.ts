/** Migration 1: the engine's tables, the pipeline registry and API tokens. */
import { sql } from 'kysely';
import type { Migration } from './migration.js';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial-schema',
  async up(db, dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    const schema = db.schema;

    // A single row; the commit that bumps it holds its lock until it ends, so event sequence
    // numbers are given out in commit order and a reader never sees seq N before seq N-1.
    await schema
      .createTable('counters')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_event_seq', 'bigint', (c) => c.notNull())
      .addColumn('last_command_position', 'bigint', (c) => c.notNull())
      .execute();
    await db
      .insertInto('counters')
      .values({ id: 1, last_event_seq: 0, last_command_position: 0 })
      .execute();

    await schema
      .createTable('pipeline_states')
      .addColumn('pipeline_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('state', sql.raw(json), (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await schema
      .createTable('events')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('pipeline_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text')
      .addColumn('stage', 'text')
      .addColumn('step', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('data', sql.raw(json))
      .execute();
    await schema
      .createIndex('events_pipeline_seq')
      .on('events')
      .columns(['pipeline_id', 'seq'])
      .execute();
    await schema
      .createIndex('events_deployment_seq')
      .on('events')
      .columns(['deployment_id', 'seq'])
      .execute();

    await schema
      .createTable('commands')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('pipeline_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', sql.raw(json), (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();
    // Claims scan only pending commands, oldest due first.
    await schema
      .createIndex('commands_pending_due')
      .on('commands')
      .columns(['due_at', 'position'])
      .where(sql.ref('status'), '=', sql.lit('pending'))
      .execute();
    await schema.createIndex('commands_pipeline').on('commands').column('pipeline_id').execute();

    await schema
      .createTable('command_effects')
      .addColumn('command_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', sql.raw(json), (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('command_effects_pk', ['command_id', 'name'])
      .execute();

    await schema
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pipeline_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await schema
      .createIndex('deployments_pipeline_revision')
      .on('deployments')
      .columns(['pipeline_id', 'revision'])
      .execute();
    await schema
      .createIndex('deployments_created')
      .on('deployments')
      .column('created_at')
      .execute();

    await schema
      .createTable('pipelines')
      .addColumn('slug', 'text', (c) => c.primaryKey())
      .addColumn('source_kind', 'text', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('default_branch', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    // A name belongs to one live token; revoked tokens keep theirs for the audit trail.
    await schema
      .createIndex('api_tokens_live_name')
      .on('api_tokens')
      .column('name')
      .unique()
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
  },
};
