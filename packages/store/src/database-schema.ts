/**
 * The tables as Kysely sees them. JSON columns are text on SQLite and jsonb on PostgreSQL; both
 * read back as text (the PostgreSQL pool's jsonb parser is turned off), so one mapping serves both.
 * Times are ISO 8601 UTC text (see values/iso-time.ts).
 */
import type { ColumnType } from 'kysely';

/** A column the database fills on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** One row per applied migration; the highest `version` is the schema version. */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

/** The single row of global counters; its lock orders event sequence numbers by commit. */
export interface CountersTable {
  id: number;
  last_event_seq: number;
  last_command_position: number;
}

/** The engine's state document per pipeline. */
export interface PipelineStatesTable {
  pipeline_id: string;
  version: number;
  state: string;
  updated_at: string;
}

/** The event log. */
export interface EventsTable {
  seq: number;
  pipeline_id: string;
  type: string;
  at: string;
  deployment_id: string | null;
  stage: string | null;
  step: string | null;
  actor: string;
  reason: string | null;
  data: string | null;
}

/** The command outbox. */
export interface CommandsTable {
  id: string;
  /** Enqueue order, the tie-break between commands due at the same time. */
  position: number;
  pipeline_id: string;
  type: string;
  payload: string;
  due_at: string;
  status: 'pending' | 'done';
  attempts: Defaulted<number>;
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  completed_at: string | null;
}

/** Effect journal entries, one per command and name. */
export interface CommandEffectsTable {
  command_id: string;
  name: string;
  value: string;
  updated_at: string;
}

/** Deployment summary rows. */
export interface DeploymentsTable {
  id: string;
  pipeline_id: string;
  revision: number;
  commit_sha: string;
  status: string;
  trigger: string;
  created_at: string;
  updated_at: string;
}

/** Registered pipelines. */
export interface PipelinesTable {
  slug: string;
  source_kind: string;
  location: string;
  default_branch: string;
  created_at: string;
  updated_at: string;
}

/** API tokens; only the SHA-256 hash of each secret. */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The single row numbering step log lines. */
export interface StepLogCounterTable {
  id: number;
  last_seq: number;
}

/** Lines steps wrote, numbered in commit order. */
export interface StepLogsTable {
  seq: number;
  pipeline_id: string;
  deployment_id: string | null;
  stage: string;
  step: string;
  command_id: string;
  at: string;
  stream: string;
  text: string;
}

/** Secrets: ciphertext and wrapped data key, or a Secrets Manager ARN; never a value in clear. */
export interface SecretsTable {
  id: string;
  name: string;
  scope: string;
  /** The stage name for stage secrets, '' for organization secrets. */
  stage: string;
  version: number;
  description: string | null;
  storage: string;
  ciphertext: string | null;
  wrapped_key: string | null;
  key_id: string | null;
  secrets_manager_arn: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** Every table of the store. */
export interface StoreDatabase {
  schema_migrations: SchemaMigrationsTable;
  counters: CountersTable;
  pipeline_states: PipelineStatesTable;
  events: EventsTable;
  commands: CommandsTable;
  command_effects: CommandEffectsTable;
  deployments: DeploymentsTable;
  pipelines: PipelinesTable;
  api_tokens: ApiTokensTable;
  step_log_counter: StepLogCounterTable;
  step_logs: StepLogsTable;
  secrets: SecretsTable;
}
