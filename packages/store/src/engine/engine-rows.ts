/** Conversions between the engine port's records and table rows. */
import type {
  DeploymentSummary,
  EngineCommand,
  EngineEvent,
  StoredPipelineState,
} from '@rampart/engine';
import type { Selectable } from 'kysely';
import type {
  CommandsTable,
  DeploymentsTable,
  EventsTable,
  PipelineStatesTable,
} from '../database-schema.js';
import { fromJsonText } from '../values/json-text.js';

export function toStoredState(row: Selectable<PipelineStatesTable>): StoredPipelineState {
  return {
    pipelineId: row.pipeline_id,
    version: Number(row.version),
    state: fromJsonText(row.state),
    updatedAt: row.updated_at,
  };
}

export function toEngineEvent(row: Selectable<EventsTable>): EngineEvent {
  const event: EngineEvent = {
    seq: Number(row.seq),
    pipelineId: row.pipeline_id,
    type: row.type,
    at: row.at,
    actor: row.actor,
  };
  if (row.deployment_id !== null) event.deploymentId = row.deployment_id;
  if (row.stage !== null) event.stage = row.stage;
  if (row.step !== null) event.step = row.step;
  if (row.reason !== null) event.reason = row.reason;
  if (row.data !== null) event.data = fromJsonText(row.data);
  return event;
}

export function toEngineCommand(row: Selectable<CommandsTable>): EngineCommand {
  const command: EngineCommand = {
    id: row.id,
    pipelineId: row.pipeline_id,
    type: row.type,
    payload: fromJsonText(row.payload),
    dueAt: row.due_at,
    attempts: Number(row.attempts),
    status: row.status,
  };
  if (row.lease_owner !== null) command.leaseOwner = row.lease_owner;
  if (row.lease_until !== null) command.leaseUntil = row.lease_until;
  return command;
}

export function toDeploymentSummary(row: Selectable<DeploymentsTable>): DeploymentSummary {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    revision: Number(row.revision),
    commitSha: row.commit_sha,
    status: row.status,
    trigger: row.trigger,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
