/** One deployment as text: its summary, each stage with its steps, approvals, blockers, rollbacks. */
import type {
  BlockerInfo,
  BuildDetail,
  BuildStatus,
  DeploymentDetail,
  RollbackInfo,
  StageDetail,
  StepDetail,
  StepStatus,
} from '@rampart/protocol';
import { renderApprovals } from './approval-lines.js';
import { textTable } from './text-table.js';
import { clockTime, dateTime, duration, remaining } from './time-text.js';

const STEP_MARK: Record<StepStatus, string> = {
  pending: '·',
  running: '▶',
  waiting_for_approval: '◷',
  succeeded: '✔',
  failed: '✖',
  skipped: '–',
  cancelled: '⊘',
};

const BUILD_MARK: Record<BuildStatus, string> = {
  pending: '·',
  running: '▶',
  succeeded: '✔',
  failed: '✖',
  cancelled: '⊘',
};

const WAIT_TEXT: Record<NonNullable<StageDetail['waitingFor']>, string> = {
  previous_stage: 'for the previous stage',
  stage_busy: 'for another revision to leave the stage',
  blocked: 'for the stage to be unblocked',
  window: 'for the deployment window',
};

/** `building Api, Worker…` while artifacts build (the ones running now), else the status. */
export function deploymentStatusText(d: Pick<DeploymentDetail, 'status' | 'builds'>): string {
  if (d.status !== 'building') return d.status.replace(/_/g, ' ');
  const running = (d.builds ?? []).filter((b) => b.status === 'running').map((b) => b.name);
  return running.length === 0 ? 'building' : `building ${running.join(', ')}…`;
}

function buildNote(build: BuildDetail): string {
  const notes: string[] = [];
  if (build.durationMs !== undefined) notes.push(duration(build.durationMs));
  if (build.reusedFrom !== undefined)
    notes.push(
      `reused the build of #${build.reusedFrom.revision} (${shortSha(build.reusedFrom.commitSha)})`,
    );
  const pinned = build.fields?.['image_url'] ?? build.fields?.['s3_url'];
  if (pinned !== undefined && build.status === 'succeeded') notes.push(pinned);
  return notes.join('; ');
}

/** The short commit id. */
export function shortSha(sha: string): string {
  return sha.slice(0, 10);
}

/** `waiting for the deployment window (Mon–Fri 09:00–17:00 UTC), opens 09:00:00Z`, `baking`, … */
export function stageStatusText(stage: StageDetail, now: number): string {
  if (stage.status === 'waiting' && stage.waitingFor !== undefined) {
    const window =
      stage.waitingFor === 'window'
        ? `${stage.window === undefined ? '' : ` (${stage.window})`}${stage.windowOpensAt === undefined ? '' : `, opens ${dateTime(stage.windowOpensAt)}`}`
        : '';
    return `waiting ${WAIT_TEXT[stage.waitingFor]}${window}`;
  }
  if (stage.status === 'baking') {
    const bake = stage.steps.find((s) => s.bakeEndsAt !== undefined && s.status !== 'succeeded');
    return bake?.bakeEndsAt === undefined ? 'baking' : `baking, ${remaining(bake.bakeEndsAt, now)}`;
  }
  return stage.status.replace(/_/g, ' ');
}

function stepNote(step: StepDetail, now: number): string {
  const notes: string[] = [];
  if (step.durationMs !== undefined) notes.push(duration(step.durationMs));
  if (step.skipped) notes.push('skipped by the pipeline file');
  if (step.status === 'waiting_for_approval' && step.bakeEndsAt !== undefined)
    notes.push(`bake ${remaining(step.bakeEndsAt, now)}`);
  if (step.approvalMessage !== undefined && step.status === 'waiting_for_approval')
    notes.push(step.approvalMessage);
  if (step.approvedBy !== undefined)
    notes.push(`approved by ${step.approvedBy.actor}: ${step.approvedBy.reason}`);
  if (step.rejectedBy !== undefined)
    notes.push(`rejected by ${step.rejectedBy.actor}: ${step.rejectedBy.reason}`);
  if (step.error !== undefined) notes.push(`${step.error.code}: ${step.error.message}`);
  return notes.join('; ');
}

/** A blocker on one line. */
export function blockerText(blocker: BlockerInfo): string {
  const what =
    blocker.kind === 'alarm'
      ? `alarm ${blocker.alarm?.name ?? ''}${blocker.alarm !== undefined && blocker.alarm.stage !== blocker.stage ? ` of ${blocker.alarm.stage}` : ''}`
      : blocker.origin === 'rollback'
        ? 'rollback (lifted by roll-forward)'
        : 'stop (lifted by resume)';
  return `${blocker.stage} blocked by ${what}, since ${clockTime(blocker.since)}, by ${blocker.actor}: ${blocker.reason}`;
}

/** A rollback on one line. */
export function rollbackText(rollback: RollbackInfo): string {
  const from = rollback.fromRevision === undefined ? '' : `#${rollback.fromRevision} → `;
  const times = [
    rollback.timeToDetectMs === undefined ? '' : `detected in ${duration(rollback.timeToDetectMs)}`,
    rollback.timeToRestoreMs === undefined
      ? ''
      : `restored in ${duration(rollback.timeToRestoreMs)}`,
  ].filter((t) => t !== '');
  return `${rollback.id}  ${rollback.kind}  ${rollback.stage}  ${from}#${rollback.toRevision}  ${rollback.status}  ${clockTime(rollback.decidedAt)}  by ${rollback.actor}: ${rollback.reason}${times.length === 0 ? '' : ` (${times.join(', ')})`}${rollback.error === undefined ? '' : `; ${rollback.error}`}`;
}

/** The whole deployment. `now` (ms) is for bake and window countdowns. */
export function renderDeploymentDetail(d: DeploymentDetail, now: number): string {
  let out = `${d.pipeline} #${d.revision}  ${deploymentStatusText(d)}\n`;
  out += `commit ${shortSha(d.commitSha)}${d.branch === undefined ? '' : ` (branch ${d.branch})`}, trigger ${d.trigger}, by ${d.actor}\n`;
  if (d.reason !== undefined && d.reason !== '') out += `reason: ${d.reason}\n`;
  out += `created ${dateTime(d.createdAt)}${d.finishedAt === undefined ? '' : `, finished ${dateTime(d.finishedAt)}`}\n`;
  if (d.archived) {
    out += '\n(archived: the server no longer keeps the stages and steps of this old deployment)\n';
    return out;
  }
  if (d.builds !== undefined && d.builds.length > 0) {
    out += '\nartifacts (built once, before the first stage)\n';
    out += textTable(
      d.builds.map((b) => [`${BUILD_MARK[b.status]} ${b.name}`, b.status, buildNote(b)]),
      '  ',
    );
  }
  // The error of a deployment that ended before its first stage (the build's last lines).
  if (d.error !== undefined) out += `\n${d.error}\n`;
  for (const stage of d.stages) {
    const extras = [
      stage.durationMs === undefined ? '' : duration(stage.durationMs),
      stage.run > 1 ? `run ${stage.run}` : '',
      stage.windowOverride === undefined
        ? ''
        : `window overridden by ${stage.windowOverride.actor}: ${stage.windowOverride.reason}`,
      stage.cancelledBy === undefined
        ? ''
        : `cancelled by ${stage.cancelledBy.actor}: ${stage.cancelledBy.reason}`,
      stage.rollbackId === undefined ? '' : `rollback ${stage.rollbackId}`,
      stage.error ?? '',
    ].filter((e) => e !== '');
    out += `\n${stage.name}  ${stage.accountId} ${stage.region}  ${stageStatusText(stage, now)}${extras.length === 0 ? '' : `  (${extras.join('; ')})`}\n`;
    out += textTable(
      stage.steps.map((s) => [
        `${STEP_MARK[s.status]} ${s.name}`,
        s.type,
        s.status.replace(/_/g, ' '),
        stepNote(s, now),
      ]),
      '  ',
    );
  }
  if (d.approvals.length > 0)
    out += `\nWaiting for a person:\n${renderApprovals(d.pipeline, d.approvals, now)}`;
  if (d.blockers.length > 0)
    out += `\nBlockers:\n${d.blockers.map((b) => `  ${blockerText(b)}\n`).join('')}`;
  if (d.rollbacks.length > 0)
    out += `\nRollbacks:\n${d.rollbacks.map((r) => `  ${rollbackText(r)}\n`).join('')}`;
  return out;
}
