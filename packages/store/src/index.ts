// Public API of @rampart/store.
export { openStore, type OpenStoreOptions } from './open-store.js';
export { RampartStore } from './rampart-store.js';
export type { StoreDialect } from './connection/store-dialect.js';
export { redactDatabaseUrl } from './connection/database-url.js';
export { SQLITE_FILE_NAME } from './connection/open-sqlite.js';
export { systemClock, type StoreClock } from './clock.js';
export { LATEST_SCHEMA_VERSION } from './migrations/store-migrations.js';
export { KyselyEngineStore } from './engine/kysely-engine-store.js';
export * from './pipelines/pipeline-registry.js';
export { KyselyPipelineRegistry } from './pipelines/kysely-pipeline-registry.js';
export * from './tokens/api-token-store.js';
export { KyselyApiTokenStore } from './tokens/kysely-api-token-store.js';
export * from './logs/step-log-store.js';
export { KyselyStepLogStore } from './logs/kysely-step-log-store.js';
export * from './secrets/secret-store.js';
export { KyselySecretStore } from './secrets/kysely-secret-store.js';
