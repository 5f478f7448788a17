/** Every migration of the store, in order. Append only. */
import { initialSchema } from './0001-initial-schema.js';
import { stepLogs } from './0002-step-logs.js';
import { secrets } from './0003-secrets.js';
import type { Migration } from './migration.js';

export const storeMigrations: readonly Migration[] = [initialSchema, stepLogs, secrets];

/** The schema version this Rampart writes. */
export const LATEST_SCHEMA_VERSION = storeMigrations.length;
