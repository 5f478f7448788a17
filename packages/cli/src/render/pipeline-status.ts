/**
 * A pipeline's overview as text: each stage in order with the revision in it and how it stands,
 * its last good revision, alarms, blockers and queue; then approvals waiting for a person, recent
 * deployments and rollbacks.
 */
import type {
  AlarmInfo,
  DeploymentDetail,
  PipelineStatusResponse,
  StageTrackInfo,
} from '@rampart/protocol';
import { renderApprovals } from './approval-lines.js';
import {
  blockerText,
  deploymentStatusText,
  rollbackText,
  shortSha,
  stageStatusText,
} from './deployment-detail.js';
import { textTable } from './text-table.js';
import { dateTime, remaining } from './time-text.js';

function alarmsText(alarms: readonly AlarmInfo[]): string {
  if (alarms.length === 0) return '-';
  const bad = alarms.filter((a) => a.state !== 'OK');
  if (bad.length === 0) return 'ok';
  return bad.map((a) => `${a.name} ${a.state}`).join(', ');
}

/** What the stage holds now: `#3 baking, 4m 30s left`, `rollback rb-2`, or `-`. */
function nowText(
  track: StageTrackInfo,
  status: PipelineStatusResponse,
  details: ReadonlyMap<number, DeploymentDetail>,
  now: number,
): string {
  const occupant = track.occupant;
  if (occupant === undefined) return '-';
  if (occupant.rollbackId !== undefined) return `rollback ${occupant.rollbackId}`;
  if (occupant.revision === undefined) return occupant.deploymentId ?? '?';
  const stage = details.get(occupant.revision)?.stages.find((s) => s.name === track.stage);
  const bake = status.approvals.find(
    (a) =>
      a.kind === 'bake' &&
      a.revision === occupant.revision &&
      a.stage === track.stage &&
      a.until !== undefined,
  );
  const text =
    stage === undefined
      ? `#${occupant.revision}`
      : `#${occupant.revision} ${stageStatusText(stage, now)}`;
  return bake?.until !== undefined && !text.includes(' left')
    ? `${text}, bake ${remaining(bake.until, now)}`
    : text;
}

/**
 * The overview. `details` holds the deployments in the stages and the newest one (by revision),
 * for stage statuses and the targets of stages not reached yet; `now` (ms) is for countdowns.
 */
export function renderPipelineStatus(
  status: PipelineStatusResponse,
  details: ReadonlyMap<number, DeploymentDetail>,
  now: number,
): string {
  const p = status.pipeline;
  let out = `${p.slug}  (${p.source.kind} ${p.source.location}, default branch ${p.defaultBranch})\n\n`;
  if (status.stages.length === 0) {
    out += `No deployment yet: rampart release --pipeline ${p.slug}\n`;
  } else {
    const rows = [['STAGE', 'ACCOUNT', 'REGION', 'NOW', 'LAST GOOD', 'ALARMS']];
    const notes = new Map<number, string[]>();
    status.stages.forEach((track, i) => {
      // A stage no revision reached yet has no target in its track; the plan has it.
      const planned = [...details.values()]
        .flatMap((d) => d.stages)
        .find((s) => s.name === track.stage);
      rows.push([
        track.stage,
        track.accountId ?? planned?.accountId ?? '-',
        track.region ?? planned?.region ?? '-',
        nowText(track, status, details, now),
        track.lastGood === undefined ? '-' : `#${track.lastGood.revision}`,
        alarmsText(track.alarms),
      ]);
      const lines = [
        ...track.blockers.map((b) => blockerText(b)),
        ...(track.queued.length === 0
          ? []
          : [`${track.stage} queued: ${track.queued.map((r) => `#${r}`).join(', ')}`]),
      ];
      if (lines.length > 0) notes.set(i + 1, lines);
    });
    // Blockers and queues go under their stage's row.
    const table = textTable(rows).split('\n');
    out += table
      .map((line, i) =>
        line === '' ? '' : `${line}\n${(notes.get(i) ?? []).map((n) => `    ${n}\n`).join('')}`,
      )
      .join('');
  }
  if (status.approvals.length > 0)
    out += `\nWaiting for a person:\n${renderApprovals(p.slug, status.approvals, now)}`;
  if (status.deployments.length > 0) {
    out += '\nDeployments:\n';
    out += textTable(
      status.deployments.map((d) => [
        `#${d.revision}`,
        deploymentStatusText({ status: d.status, builds: details.get(d.revision)?.builds }),
        shortSha(d.commitSha),
        d.trigger,
        dateTime(d.createdAt),
      ]),
      '  ',
    );
  }
  if (status.rollbacks.length > 0)
    out += `\nRollbacks:\n${status.rollbacks.map((r) => `  ${rollbackText(r)}\n`).join('')}`;
  return out;
}
