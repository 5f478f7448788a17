/** Limits that keep hostile or broken input from exhausting memory or time. */

/** Largest pipeline or policy file read: 1 MiB. Real pipelines are a few KiB. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Deepest nesting of maps and lists accepted in a YAML file. */
export const MAX_NESTING_DEPTH = 64;

/** Most nodes an alias-expanded document may hold (stops alias bombs). */
export const MAX_EXPANDED_NODES = 100_000;
