/** Migration 2: the lines steps write, in one global order for resumable streams. */
import type { Migration } from './migration.js';

export const stepLogs: Migration = {
  version: 2,
  name: 'step-logs',
  async up(db) {
    const schema = db.schema;
    // Its own counter row, not the events counter: log lines arrive far more often than engine
    // commits and must not queue behind them. The row lock orders line numbers by commit.
    await schema
      .createTable('step_log_counter')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('step_log_counter').values({ id: 1, last_seq: 0 }).execute();

    await schema
      .createTable('step_logs')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('pipeline_id', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text')
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('command_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    await schema
      .createIndex('step_logs_deployment_seq')
      .on('step_logs')
      .columns(['deployment_id', 'seq'])
      .execute();
    await schema
      .createIndex('step_logs_pipeline_seq')
      .on('step_logs')
      .columns(['pipeline_id', 'seq'])
      .execute();
  },
};
