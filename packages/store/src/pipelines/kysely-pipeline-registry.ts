/** The pipeline registry on Kysely. */
import { RampartError } from '@rampart/core';
import type { Selectable } from 'kysely';
import type { StoreConnection } from '../connection/store-connection.js';
import type { PipelinesTable } from '../database-schema.js';
import { requireOneOf, requireText } from '../values/checks.js';
import { PIPELINE_SOURCE_KINDS } from './pipeline-registry.js';
import type {
  PipelineChanges,
  PipelineRegistration,
  PipelineRegistry,
  RegisteredPipeline,
} from './pipeline-registry.js';

const DEFAULT_BRANCH = 'main';

function toRegisteredPipeline(row: Selectable<PipelinesTable>): RegisteredPipeline {
  return {
    slug: row.slug,
    sourceKind: requireOneOf(row.source_kind, PIPELINE_SOURCE_KINDS, 'pipelines.source_kind'),
    location: row.location,
    defaultBranch: row.default_branch,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** {@link PipelineRegistry} on SQLite or PostgreSQL. */
export class KyselyPipelineRegistry implements PipelineRegistry {
  readonly #connection: StoreConnection;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
  }

  async register(registration: PipelineRegistration): Promise<RegisteredPipeline> {
    const now = this.#connection.now();
    const row = {
      slug: requireText(registration.slug, 'slug'),
      source_kind: requireOneOf(registration.sourceKind, PIPELINE_SOURCE_KINDS, 'sourceKind'),
      location: requireText(registration.location, 'location'),
      default_branch: requireText(registration.defaultBranch ?? DEFAULT_BRANCH, 'defaultBranch'),
      created_at: now,
      updated_at: now,
    };
    const result = await this.#connection.write((trx) =>
      trx
        .insertInto('pipelines')
        .values(row)
        .onConflict((oc) => oc.column('slug').doNothing())
        .executeTakeFirst(),
    );
    if (result.numInsertedOrUpdatedRows !== 1n) {
      throw new RampartError(
        'STORE_PIPELINE_EXISTS',
        `a pipeline with slug "${row.slug}" is already registered`,
        {
          hint: `Pick another slug, or remove the registered pipeline "${row.slug}" first.`,
        },
      );
    }
    return toRegisteredPipeline(row);
  }

  async update(slug: string, changes: PipelineChanges): Promise<RegisteredPipeline | undefined> {
    const set = {
      ...(changes.sourceKind === undefined
        ? {}
        : { source_kind: requireOneOf(changes.sourceKind, PIPELINE_SOURCE_KINDS, 'sourceKind') }),
      ...(changes.location === undefined
        ? {}
        : { location: requireText(changes.location, 'location') }),
      ...(changes.defaultBranch === undefined
        ? {}
        : { default_branch: requireText(changes.defaultBranch, 'defaultBranch') }),
      updated_at: this.#connection.now(),
    };
    const row = await this.#connection.write((trx) =>
      trx
        .updateTable('pipelines')
        .set(set)
        .where('slug', '=', slug)
        .returningAll()
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : toRegisteredPipeline(row);
  }

  async get(slug: string): Promise<RegisteredPipeline | undefined> {
    const row = await this.#connection.db
      .selectFrom('pipelines')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row === undefined ? undefined : toRegisteredPipeline(row);
  }

  async list(): Promise<RegisteredPipeline[]> {
    const rows = await this.#connection.db
      .selectFrom('pipelines')
      .selectAll()
      .orderBy('slug')
      .execute();
    return rows.map(toRegisteredPipeline);
  }

  async remove(slug: string): Promise<boolean> {
    const result = await this.#connection.write((trx) =>
      trx.deleteFrom('pipelines').where('slug', '=', slug).executeTakeFirst(),
    );
    return result.numDeletedRows === 1n;
  }
}
