/** The engine's storage port on Kysely, for SQLite and PostgreSQL alike. */
import { StoreConflictError } from '@rampart/engine';
import type {
  CommitResult,
  DeploymentQuery,
  DeploymentSummary,
  EngineCommand,
  EngineCommit,
  EngineEvent,
  EngineStore,
  EventQuery,
  JsonValue,
  StoredPipelineState,
} from '@rampart/engine';
import type { Transaction } from 'kysely';
import type { StoreConnection } from '../connection/store-connection.js';
import type { StoreDatabase } from '../database-schema.js';
import { chunked, requireInteger, requirePositive, requireText } from '../values/checks.js';
import { addMilliseconds, normalizeIsoTime } from '../values/iso-time.js';
import { fromJsonText, toJsonText } from '../values/json-text.js';
import { commitRows } from './commit-rows.js';
import type { CommitRows } from './commit-rows.js';
import {
  toDeploymentSummary,
  toEngineCommand,
  toEngineEvent,
  toStoredState,
} from './engine-rows.js';

/** Rows per INSERT, well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 500;

/** @default of {@link EventQuery.limit}. */
const DEFAULT_EVENT_LIMIT = 1000;

/** @default of {@link DeploymentQuery.limit}. */
const DEFAULT_DEPLOYMENT_LIMIT = 50;

/** {@link EngineStore} on SQLite or PostgreSQL. */
export class KyselyEngineStore implements EngineStore {
  readonly #connection: StoreConnection;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
  }

  async loadPipeline(pipelineId: string): Promise<StoredPipelineState | undefined> {
    const row = await this.#connection.db
      .selectFrom('pipeline_states')
      .selectAll()
      .where('pipeline_id', '=', pipelineId)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredState(row);
  }

  async listPipelineIds(): Promise<string[]> {
    const rows = await this.#connection.db
      .selectFrom('pipeline_states')
      .select('pipeline_id')
      .orderBy('pipeline_id')
      .execute();
    return rows.map((row) => row.pipeline_id);
  }

  async commit(commit: EngineCommit): Promise<CommitResult> {
    const now = this.#connection.now();
    const rows = commitRows(commit, now);
    return this.#connection.write(async (trx) => {
      const version = await this.#advanceVersion(trx, rows, now);
      const eventSeqs = await this.#append(trx, rows);
      for (const ids of chunked(rows.completedCommandIds, ROWS_PER_INSERT)) {
        await trx
          .updateTable('commands')
          .set({ status: 'done', completed_at: now })
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .execute();
      }
      for (const deployments of chunked(rows.deployments, ROWS_PER_INSERT)) {
        await trx
          .insertInto('deployments')
          .values(deployments)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              pipeline_id: eb.ref('excluded.pipeline_id'),
              revision: eb.ref('excluded.revision'),
              commit_sha: eb.ref('excluded.commit_sha'),
              status: eb.ref('excluded.status'),
              trigger: eb.ref('excluded.trigger'),
              created_at: eb.ref('excluded.created_at'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
      return { version, eventSeqs };
    });
  }

  /**
   * Writes the new state only if the stored version is the expected one. The check is part of the
   * INSERT or UPDATE itself, so of two concurrent committers on one version exactly one changes a
   * row; the other changes none and gets a conflict.
   */
  async #advanceVersion(
    trx: Transaction<StoreDatabase>,
    rows: CommitRows,
    now: string,
  ): Promise<number> {
    const version = rows.expectedVersion + 1;
    let changed: bigint;
    if (rows.expectedVersion === 0) {
      const result = await trx
        .insertInto('pipeline_states')
        .values({ pipeline_id: rows.pipelineId, version, state: rows.stateText, updated_at: now })
        .onConflict((oc) => oc.column('pipeline_id').doNothing())
        .executeTakeFirst();
      changed = result.numInsertedOrUpdatedRows ?? 0n;
    } else {
      const result = await trx
        .updateTable('pipeline_states')
        .set({ version, state: rows.stateText, updated_at: now })
        .where('pipeline_id', '=', rows.pipelineId)
        .where('version', '=', rows.expectedVersion)
        .executeTakeFirst();
      changed = result.numUpdatedRows;
    }
    if (changed !== 1n) {
      const current = await trx
        .selectFrom('pipeline_states')
        .select('version')
        .where('pipeline_id', '=', rows.pipelineId)
        .executeTakeFirst();
      throw new StoreConflictError(
        rows.pipelineId,
        rows.expectedVersion,
        current === undefined ? 0 : Number(current.version),
      );
    }
    return version;
  }

  /**
   * Inserts the commit's events and commands. Numbers come from the counters row; its row lock is
   * held to the end of the transaction, so sequence numbers follow commit order and a reader
   * resuming after seq N can never later find a smaller one appear.
   */
  async #append(trx: Transaction<StoreDatabase>, rows: CommitRows): Promise<number[]> {
    if (rows.events.length === 0 && rows.commands.length === 0) return [];
    const counters = await trx
      .updateTable('counters')
      .set((eb) => ({
        last_event_seq: eb('last_event_seq', '+', rows.events.length),
        last_command_position: eb('last_command_position', '+', rows.commands.length),
      }))
      .where('id', '=', 1)
      .returning(['last_event_seq', 'last_command_position'])
      .executeTakeFirstOrThrow();
    const firstSeq = Number(counters.last_event_seq) - rows.events.length + 1;
    const firstPosition = Number(counters.last_command_position) - rows.commands.length + 1;
    const events = rows.events.map((event, index) => ({ ...event, seq: firstSeq + index }));
    for (const batch of chunked(events, ROWS_PER_INSERT)) {
      await trx.insertInto('events').values(batch).execute();
    }
    const commands = rows.commands.map((command, index) => ({
      ...command,
      position: firstPosition + index,
    }));
    for (const batch of chunked(commands, ROWS_PER_INSERT)) {
      // An id that is already enqueued (a replayed decision) is left as it is.
      await trx
        .insertInto('commands')
        .values(batch)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    return events.map((event) => event.seq);
  }

  async claimCommands(options: {
    owner: string;
    now: string;
    leaseMs: number;
    limit: number;
  }): Promise<EngineCommand[]> {
    const owner = requireText(options.owner, 'owner');
    const now = normalizeIsoTime(options.now, 'now');
    const until = addMilliseconds(now, requirePositive(options.leaseMs, 'leaseMs'));
    const limit = requireInteger(options.limit, 'limit', 0);
    if (limit === 0) return [];
    const postgres = this.#connection.dialect === 'postgres';
    const rows = await this.#connection.write(async (trx) => {
      // SQLite: the immediate transaction already excludes every other writer. PostgreSQL: lock
      // the chosen rows and pass over rows another worker is claiming right now.
      const claimable = trx
        .selectFrom('commands')
        .select('id')
        .where('status', '=', 'pending')
        .where('due_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('due_at')
        .orderBy('position')
        .limit(limit)
        .$if(postgres, (qb) => qb.forUpdate().skipLocked());
      return trx
        .updateTable('commands')
        .set((eb) => ({
          lease_owner: owner,
          lease_until: until,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', 'in', claimable)
        .returningAll()
        .execute();
    });
    rows.sort((a, b) =>
      a.due_at === b.due_at
        ? Number(a.position) - Number(b.position)
        : a.due_at < b.due_at
          ? -1
          : 1,
    );
    return rows.map(toEngineCommand);
  }

  async renewLeases(owner: string, ids: string[], until: string): Promise<string[]> {
    requireText(owner, 'owner');
    const leaseUntil = normalizeIsoTime(until, 'until');
    if (ids.length === 0) return [];
    const held = new Set<string>();
    await this.#connection.write(async (trx) => {
      for (const batch of chunked([...new Set(ids)], ROWS_PER_INSERT)) {
        const rows = await trx
          .updateTable('commands')
          .set({ lease_until: leaseUntil })
          .where('id', 'in', batch)
          .where('lease_owner', '=', owner)
          .where('status', '=', 'pending')
          .returning('id')
          .execute();
        for (const row of rows) held.add(row.id);
      }
    });
    return ids.filter((id) => !held.has(id));
  }

  async releaseCommand(owner: string, id: string): Promise<void> {
    await this.#connection.write((trx) =>
      trx
        .updateTable('commands')
        .set({ lease_owner: null, lease_until: null })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'pending')
        .execute(),
    );
  }

  /**
   * The workers holding unexpired leases on pending commands at `now`, with how many each holds:
   * a starting server looks among them for earlier processes of its own host that are gone.
   */
  async leaseHolders(now: string): Promise<{ owner: string; commands: number }[]> {
    const at = normalizeIsoTime(now, 'now');
    const rows = await this.#connection.db
      .selectFrom('commands')
      .select((eb) => ['lease_owner', eb.fn.countAll().as('commands')])
      .where('status', '=', 'pending')
      .where('lease_owner', 'is not', null)
      .where('lease_until', '>', at)
      .groupBy('lease_owner')
      .orderBy('lease_owner')
      .execute();
    return rows.map((row) => ({ owner: row.lease_owner ?? '', commands: Number(row.commands) }));
  }

  /**
   * Gives back every pending command `owner` holds, as `releaseCommand` does for one: for a worker
   * known to be gone, whose commands would otherwise wait for their leases to expire. Attempts
   * are kept. Returns how many commands were given back.
   */
  async releaseLeasesOf(owner: string): Promise<number> {
    requireText(owner, 'owner');
    const result = await this.#connection.write((trx) =>
      trx
        .updateTable('commands')
        .set({ lease_owner: null, lease_until: null })
        .where('lease_owner', '=', owner)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  /** One command of the outbox, pending or done; for diagnostics and tests. */
  async getCommand(id: string): Promise<EngineCommand | undefined> {
    const row = await this.#connection.db
      .selectFrom('commands')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toEngineCommand(row);
  }

  async listEvents(query: EventQuery): Promise<EngineEvent[]> {
    const limit = requireInteger(query.limit ?? DEFAULT_EVENT_LIMIT, 'limit', 1);
    const rows = await this.#connection.db
      .selectFrom('events')
      .selectAll()
      .$if(query.pipelineId !== undefined, (qb) =>
        qb.where('pipeline_id', '=', query.pipelineId ?? ''),
      )
      .$if(query.deploymentId !== undefined, (qb) =>
        qb.where('deployment_id', '=', query.deploymentId ?? ''),
      )
      .$if(query.afterSeq !== undefined, (qb) => qb.where('seq', '>', query.afterSeq ?? 0))
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEngineEvent);
  }

  /**
   * Newest first: by revision within one pipeline; across pipelines by creation time, then
   * pipeline and revision.
   */
  async listDeployments(query: DeploymentQuery): Promise<DeploymentSummary[]> {
    const limit = requireInteger(query.limit ?? DEFAULT_DEPLOYMENT_LIMIT, 'limit', 1);
    let select = this.#connection.db
      .selectFrom('deployments')
      .selectAll()
      .$if(query.pipelineId !== undefined, (qb) =>
        qb.where('pipeline_id', '=', query.pipelineId ?? ''),
      )
      .$if(query.status !== undefined, (qb) => qb.where('status', '=', query.status ?? ''))
      .$if(query.beforeRevision !== undefined, (qb) =>
        qb.where('revision', '<', query.beforeRevision ?? 0),
      );
    select =
      query.pipelineId !== undefined
        ? select.orderBy('revision', 'desc')
        : select.orderBy('created_at', 'desc').orderBy('pipeline_id').orderBy('revision', 'desc');
    const rows = await select.orderBy('id').limit(limit).execute();
    return rows.map(toDeploymentSummary);
  }

  async getDeployment(id: string): Promise<DeploymentSummary | undefined> {
    const row = await this.#connection.db
      .selectFrom('deployments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toDeploymentSummary(row);
  }

  async getEffects(commandId: string): Promise<Record<string, JsonValue>> {
    const rows = await this.#connection.db
      .selectFrom('command_effects')
      .select(['name', 'value'])
      .where('command_id', '=', commandId)
      .orderBy('name')
      .execute();
    // fromEntries defines own properties, so a name such as "__proto__" stays an ordinary key.
    return Object.fromEntries(rows.map((row) => [row.name, fromJsonText(row.value)]));
  }

  async putEffect(commandId: string, name: string, value: JsonValue): Promise<void> {
    const row = {
      command_id: requireText(commandId, 'commandId'),
      name: requireText(name, 'effect name'),
      value: toJsonText(value, `effect ${name} of command ${commandId}`),
      updated_at: this.#connection.now(),
    };
    await this.#connection.write((trx) =>
      trx
        .insertInto('command_effects')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['command_id', 'name']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute(),
    );
  }

  /** Closes the whole store this engine store belongs to. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
