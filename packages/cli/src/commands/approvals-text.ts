/** How `rampart approvals` prints pending approvals: a table, and one approval in full. */
import { API_ROLES, roleAllows, type PendingApprovalInfo } from '@rampart/protocol';
import { approveCommand, shellWord } from '../render/approval-lines.js';
import { textTable } from '../render/text-table.js';
import { dateTime, remaining } from '../render/time-text.js';

const KIND_TEXT: Record<PendingApprovalInfo['kind'], string> = {
  bake: 'bake',
  manual: 'manual approval',
  step: 'step asks',
};

/** `deployer or admin tokens`: every role at least as strong as the approver role. */
export function approverText(approval: Pick<PendingApprovalInfo, 'approverRole'>): string {
  const roles = API_ROLES.filter((r) => roleAllows(r, approval.approverRole));
  return `${roles.join(' or ')} tokens`;
}

/** The table of `rampart approvals list`. */
export function approvalListText(approvals: readonly PendingApprovalInfo[], now: number): string {
  if (approvals.length === 0) return 'No approval is waiting.\n';
  const table = textTable([
    ['ID', 'PIPELINE', 'REVISION', 'STAGE', 'STEP', 'WAITING', 'SINCE', 'UNTIL', 'WHO MAY APPROVE'],
    ...approvals.map((a) => [
      a.id,
      a.pipeline,
      `#${a.revision}`,
      a.stage,
      a.step,
      KIND_TEXT[a.kind],
      dateTime(a.since),
      a.until === undefined ? '-' : remaining(a.until, now),
      approverText(a),
    ]),
  ]);
  return `${table}\nThe full request (a Terraform plan's changes): rampart approvals show ID\n`;
}

/** One approval with its whole message and the commands that decide it. */
export function approvalText(a: PendingApprovalInfo, now: number): string {
  const lines = [
    `Approval ${a.id}: ${a.pipeline} #${a.revision}, stage ${a.stage}, step ${a.step}`,
    `  waiting:   ${a.kind === 'step' ? 'the step asks for approval' : KIND_TEXT[a.kind]}`,
    `  since:     ${dateTime(a.since)}`,
  ];
  if (a.until !== undefined) {
    const verb = a.kind === 'bake' ? 'ends' : 'times out';
    lines.push(`  ${`${verb}:`.padEnd(10)} ${dateTime(a.until)} (${remaining(a.until, now)})`);
  }
  lines.push(`  who may:   ${approverText(a)}`);
  if (a.message !== undefined) {
    lines.push('', ...a.message.split('\n').map((l) => `  ${l}`));
  }
  const reject = approveCommand(a.pipeline, a).replace(/^rampart approve /, 'rampart reject ');
  lines.push('', `  approve: ${approveCommand(a.pipeline, a)}`, `  reject:  ${reject}`);
  return `${lines.join('\n')}\n`;
}

/** `web:3`: how `rampart approvals show` names a deployment. */
export function deploymentName(pipeline: string, revision: number): string {
  return `${shellWord(pipeline)}:${revision}`;
}
