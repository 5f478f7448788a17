import { describe, expect, it } from 'vitest';
import { pipelineFileSchema } from './pipeline-schema.js';
import { allowedKeysAt, objectSchemasAt } from './zod-walk.js';

describe('allowedKeysAt', () => {
  it('lists the keys of the object at a path through objects, lists and records', () => {
    expect(allowedKeysAt(pipelineFileSchema, [])).toEqual(['version', 'pipeline']);
    expect(allowedKeysAt(pipelineFileSchema, ['pipeline', 'stages', 3])).toEqual([
      'name',
      'account_id',
      'region',
      'deployment_time_window',
      'vars',
      'skip',
      'auto_rollback_alarm_name',
      'auto_rollback_alarm_names',
    ]);
    expect(allowedKeysAt(pipelineFileSchema, ['pipeline', 'artifacts', 'Any Name'])).toContain(
      'per_stage',
    );
  });

  it('follows the object branch of a union (a window given by name or inline)', () => {
    expect(
      allowedKeysAt(pipelineFileSchema, ['pipeline', 'stages', 0, 'deployment_time_window']),
    ).toEqual(['timezone', 'days', 'start', 'end', 'exclude_dates', 'freezes']);
  });

  it('gives nothing for a path that leaves the schema or ends at a non-object', () => {
    expect(allowedKeysAt(pipelineFileSchema, ['pipeline', 'nope'])).toEqual([]);
    expect(objectSchemasAt(pipelineFileSchema, ['pipeline', 'tracks'])).toEqual([]);
  });
});
