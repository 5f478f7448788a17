/**
 * Checks and serializes an engine commit before its transaction opens, so a bad value fails
 * without taking locks and the transaction only runs SQL.
 */
import type { EngineCommit } from '@rampart/engine';
import type { Insertable } from 'kysely';
import type { CommandsTable, DeploymentsTable, EventsTable } from '../database-schema.js';
import { requireInteger, requireText } from '../values/checks.js';
import { normalizeIsoTime } from '../values/iso-time.js';
import { toJsonText } from '../values/json-text.js';

/** An event row still waiting for its sequence number. */
export type PendingEventRow = Omit<Insertable<EventsTable>, 'seq'>;

/** A command row still waiting for its enqueue position. */
export type PendingCommandRow = Omit<Insertable<CommandsTable>, 'position'>;

/** A commit ready for SQL. */
export interface CommitRows {
  pipelineId: string;
  expectedVersion: number;
  stateText: string;
  events: PendingEventRow[];
  commands: PendingCommandRow[];
  completedCommandIds: string[];
  deployments: Insertable<DeploymentsTable>[];
}

/** Validates `commit` and turns it into rows; `now` is the commit time in the stored form. */
export function commitRows(commit: EngineCommit, now: string): CommitRows {
  const pipelineId = requireText(commit.pipelineId, 'commit.pipelineId');
  const expectedVersion = requireInteger(commit.expectedVersion, 'commit.expectedVersion', 0);
  const stateText = toJsonText(commit.state, `state of pipeline ${pipelineId}`);

  const events = commit.events.map((event, index): PendingEventRow => {
    const where = `events[${index}]`;
    return {
      pipeline_id: pipelineId,
      type: requireText(event.type, `${where}.type`),
      at: normalizeIsoTime(event.at, `${where}.at`),
      deployment_id: event.deploymentId ?? null,
      stage: event.stage ?? null,
      step: event.step ?? null,
      actor: event.actor ?? 'system',
      reason: event.reason ?? null,
      data: event.data === undefined ? null : toJsonText(event.data, `${where}.data`),
    };
  });

  // The first of two commands with one id wins, as it would had they come in two commits.
  const seen = new Set<string>();
  const commands: PendingCommandRow[] = [];
  commit.commands.forEach((command, index) => {
    const where = `commands[${index}]`;
    const id = requireText(command.id, `${where}.id`);
    if (seen.has(id)) return;
    seen.add(id);
    commands.push({
      id,
      pipeline_id: pipelineId,
      type: requireText(command.type, `${where}.type`),
      payload: toJsonText(command.payload, `${where}.payload`),
      due_at: command.dueAt === undefined ? now : normalizeIsoTime(command.dueAt, `${where}.dueAt`),
      status: 'pending',
      attempts: 0,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      completed_at: null,
    });
  });

  // The last row for a deployment id wins, as it would had they come in two commits.
  const deployments = new Map<string, Insertable<DeploymentsTable>>();
  (commit.deployments ?? []).forEach((deployment, index) => {
    const where = `deployments[${index}]`;
    const id = requireText(deployment.id, `${where}.id`);
    deployments.set(id, {
      id,
      pipeline_id: requireText(deployment.pipelineId, `${where}.pipelineId`),
      revision: requireInteger(deployment.revision, `${where}.revision`, 0),
      commit_sha: deployment.commitSha,
      status: requireText(deployment.status, `${where}.status`),
      trigger: deployment.trigger,
      created_at: normalizeIsoTime(deployment.createdAt, `${where}.createdAt`),
      updated_at: normalizeIsoTime(deployment.updatedAt, `${where}.updatedAt`),
    });
  });

  const completedCommandIds = [...new Set(commit.completedCommandIds ?? [])].map((id, index) =>
    requireText(id, `completedCommandIds[${index}]`),
  );

  return {
    pipelineId,
    expectedVersion,
    stateText,
    events,
    commands,
    completedCommandIds,
    deployments: [...deployments.values()],
  };
}
