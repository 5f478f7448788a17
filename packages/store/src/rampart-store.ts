/** Everything the server keeps in its database, behind one handle. */
import type { StoreConnection } from './connection/store-connection.js';
import type { StoreDialect } from './connection/store-dialect.js';
import { KyselyEngineStore } from './engine/kysely-engine-store.js';
import { KyselyStepLogStore } from './logs/kysely-step-log-store.js';
import type { StepLogStore } from './logs/step-log-store.js';
import { KyselyPipelineRegistry } from './pipelines/kysely-pipeline-registry.js';
import type { PipelineRegistry } from './pipelines/pipeline-registry.js';
import { KyselySecretStore } from './secrets/kysely-secret-store.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { ApiTokenStore } from './tokens/api-token-store.js';
import { KyselyApiTokenStore } from './tokens/kysely-api-token-store.js';

/** An open store: the engine's storage, the pipeline registry, API tokens, step logs and secrets on one database. */
export class RampartStore {
  readonly #connection: StoreConnection;
  /** The engine's storage port (plus `getCommand` for diagnostics). Its `close` closes the store. */
  readonly engine: KyselyEngineStore;
  readonly pipelines: PipelineRegistry;
  readonly tokens: ApiTokenStore;
  /** Lines steps wrote, for reading and streaming logs. */
  readonly stepLogs: StepLogStore;
  /** Secrets, encrypted (the server encrypts and decrypts). */
  readonly secrets: SecretStore;
  /** The schema version the database is at (the newest this Rampart knows). */
  readonly schemaVersion: number;

  constructor(connection: StoreConnection, schemaVersion: number) {
    this.#connection = connection;
    this.engine = new KyselyEngineStore(connection);
    this.pipelines = new KyselyPipelineRegistry(connection);
    this.tokens = new KyselyApiTokenStore(connection);
    this.stepLogs = new KyselyStepLogStore(connection);
    this.secrets = new KyselySecretStore(connection);
    this.schemaVersion = schemaVersion;
  }

  get dialect(): StoreDialect {
    return this.#connection.dialect;
  }

  /** The SQLite file, or the PostgreSQL URL without its password. */
  get location(): string {
    return this.#connection.location;
  }

  /** Checks that the database answers (readiness); throws `STORE_UNREACHABLE` when it does not. */
  ping(): Promise<void> {
    return this.#connection.ping();
  }

  /** Closes the database connections; safe to call more than once. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
