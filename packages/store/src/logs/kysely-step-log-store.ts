/** The step log store on Kysely. */
import { RampartError } from '@rampart/core';
import type { Selectable } from 'kysely';
import type { StoreConnection } from '../connection/store-connection.js';
import type { StepLogsTable } from '../database-schema.js';
import { chunked, requireInteger, requireOneOf, requireText } from '../values/checks.js';
import { normalizeIsoTime } from '../values/iso-time.js';
import {
  STEP_LOG_STREAMS,
  type NewStepLogLine,
  type StepLogLineRecord,
  type StepLogQuery,
  type StepLogStore,
} from './step-log-store.js';

const DEFAULT_LIMIT = 1000;
/** Nine columns a row: 100 rows stay far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_INSERT = 100;

/** {@link StepLogStore} on SQLite or PostgreSQL. */
export class KyselyStepLogStore implements StepLogStore {
  readonly #connection: StoreConnection;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
  }

  async append(lines: readonly NewStepLogLine[]): Promise<number[]> {
    if (lines.length === 0) return [];
    const rows = lines.map((line, i) => toRow(line, `lines[${i}]`));
    return this.#connection.write(async (trx) => {
      // The counter row stays locked to the end of the transaction: numbers follow commit order.
      const counter = await trx
        .updateTable('step_log_counter')
        .set((eb) => ({ last_seq: eb('last_seq', '+', rows.length) }))
        .where('id', '=', 1)
        .returning('last_seq')
        .executeTakeFirstOrThrow();
      const first = Number(counter.last_seq) - rows.length + 1;
      const numbered = rows.map((row, i) => ({ ...row, seq: first + i }));
      for (const batch of chunked(numbered, ROWS_PER_INSERT)) {
        await trx.insertInto('step_logs').values(batch).execute();
      }
      return numbered.map((row) => row.seq);
    });
  }

  async read(query: StepLogQuery): Promise<StepLogLineRecord[]> {
    const limit = requireInteger(query.limit ?? DEFAULT_LIMIT, 'limit', 1);
    const rows = await this.#connection.db
      .selectFrom('step_logs')
      .selectAll()
      .$if(query.pipelineId !== undefined, (qb) =>
        qb.where('pipeline_id', '=', query.pipelineId ?? ''),
      )
      .$if(query.deploymentId !== undefined, (qb) =>
        qb.where('deployment_id', '=', query.deploymentId ?? ''),
      )
      .$if(query.stage !== undefined, (qb) => qb.where('stage', '=', query.stage ?? ''))
      .$if(query.step !== undefined, (qb) => qb.where('step', '=', query.step ?? ''))
      .$if(query.afterSeq !== undefined, (qb) => qb.where('seq', '>', query.afterSeq ?? 0))
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }
}

function toRow(line: NewStepLogLine, field: string): Omit<Selectable<StepLogsTable>, 'seq'> {
  if (typeof line.text !== 'string' || line.text.includes('\u0000')) {
    throw new RampartError(
      'STORE_VALUE_UNSUPPORTED',
      `${field}.text must be text without U+0000, which PostgreSQL cannot hold`,
      { source: 'system', hint: 'Replace U+0000 before storing the line (e.g. with U+FFFD).' },
    );
  }
  return {
    pipeline_id: requireText(line.pipelineId, `${field}.pipelineId`),
    deployment_id:
      line.deploymentId === undefined
        ? null
        : requireText(line.deploymentId, `${field}.deploymentId`),
    stage: requireText(line.stage, `${field}.stage`),
    step: requireText(line.step, `${field}.step`),
    command_id: requireText(line.commandId, `${field}.commandId`),
    at: normalizeIsoTime(line.at, `${field}.at`),
    stream: requireOneOf(line.stream, STEP_LOG_STREAMS, `${field}.stream`),
    text: line.text,
  };
}

function toRecord(row: Selectable<StepLogsTable>): StepLogLineRecord {
  const record: StepLogLineRecord = {
    seq: Number(row.seq),
    pipelineId: row.pipeline_id,
    stage: row.stage,
    step: row.step,
    commandId: row.command_id,
    at: row.at,
    stream: requireOneOf(row.stream, STEP_LOG_STREAMS, 'step_logs.stream'),
    text: row.text,
  };
  if (row.deployment_id !== null) record.deploymentId = row.deployment_id;
  return record;
}
