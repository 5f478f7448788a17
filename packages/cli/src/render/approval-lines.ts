/** Approvals waiting for a person, each with the command that answers it. */
import type { ApprovalInfo } from '@rampart/protocol';
import { clockTime, remaining } from './time-text.js';

/** A value as one shell word: quoted when it holds anything but safe characters. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9._:/@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `rampart approve --pipeline web --revision 3 --stage prod --step Bake --reason TEXT`. */
export function approveCommand(
  pipeline: string,
  approval: Pick<ApprovalInfo, 'revision' | 'stage' | 'step'>,
): string {
  return `rampart approve --pipeline ${shellWord(pipeline)} --revision ${approval.revision} --stage ${shellWord(approval.stage)} --step ${shellWord(approval.step)} --reason TEXT`;
}

const KIND_TEXT: Record<ApprovalInfo['kind'], string> = {
  bake: 'bake (approve ends it early)',
  manual: 'manual approval',
  step: 'the step asks for approval',
};

/** Two lines per approval: what waits since when (and until when), then the command. */
export function renderApprovals(
  pipeline: string,
  approvals: readonly ApprovalInfo[],
  now: number,
  indent = '  ',
): string {
  return approvals
    .map((a) => {
      // A bake ends by itself at `until`; other approvals time out then.
      const until =
        a.until === undefined
          ? ''
          : a.kind === 'bake'
            ? `, ${remaining(a.until, now)}`
            : `, times out in ${remaining(a.until, now).replace(/ left$/, '')}`;
      const message = a.message === undefined ? '' : `: ${a.message}`;
      return (
        `${indent}#${a.revision} ${a.stage}/${a.step}  ${KIND_TEXT[a.kind]}, since ${clockTime(a.since)}${until}${message}\n` +
        `${indent}  ${approveCommand(pipeline, a)}\n`
      );
    })
    .join('');
}
