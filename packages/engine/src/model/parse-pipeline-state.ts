/** Reads a stored state document, refusing shapes this engine does not know. */
import { RampartError } from '@rampart/core';
import type { JsonValue } from '../ports/engine-store.js';
import { PIPELINE_STATE_SCHEMA_VERSION, type PipelineState } from './pipeline-state.js';

/**
 * The state document `json` as a {@link PipelineState}.
 *
 * @throws RampartError `INTERNAL` when it is not an engine state document of schema version 1
 *   (a newer engine wrote it, or it is damaged): running on would corrupt in-flight deployments.
 */
export function parsePipelineState(json: JsonValue, pipelineId: string): PipelineState {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw damaged(pipelineId, 'it is not an object');
  }
  const version = json['schemaVersion'];
  if (version !== PIPELINE_STATE_SCHEMA_VERSION) {
    throw new RampartError(
      'INTERNAL',
      `the engine state of pipeline ${pipelineId} has schema version ${JSON.stringify(version ?? null)}; this engine reads version ${PIPELINE_STATE_SCHEMA_VERSION}`,
      { source: 'system', hint: 'Run the Rampart version that wrote it, or a newer one.' },
    );
  }
  if (json['pipelineId'] !== pipelineId) throw damaged(pipelineId, 'it names another pipeline');
  for (const key of ['deployments', 'approvals', 'rollbacks'] as const) {
    if (!Array.isArray(json[key])) throw damaged(pipelineId, `"${key}" is not a list`);
  }
  for (const key of ['tracks', 'alarms'] as const) {
    const value = json[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw damaged(pipelineId, `"${key}" is not an object`);
  }
  // Absent in states written before artifact builds existed.
  const lastBuilds = json['lastBuilds'];
  if (
    lastBuilds !== undefined &&
    (lastBuilds === null || typeof lastBuilds !== 'object' || Array.isArray(lastBuilds))
  )
    throw damaged(pipelineId, '"lastBuilds" is not an object');
  if (typeof json['nextRevision'] !== 'number' || typeof json['rollbackSeq'] !== 'number')
    throw damaged(pipelineId, 'its counters are missing');
  return json as unknown as PipelineState;
}

function damaged(pipelineId: string, why: string): RampartError {
  return new RampartError(
    'INTERNAL',
    `the engine state of pipeline ${pipelineId} is damaged: ${why}`,
    {
      source: 'system',
    },
  );
}
