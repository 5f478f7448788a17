/**
 * The manual operations: `rampart approve|reject|cancel|retry|rollback|roll-forward|stop|resume|
 * override-window`. Each needs `--reason`, recorded in the audit trail with the token's name.
 */
import type { OperationKind, OperationRequest, OperationResponse } from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  choosePipeline,
  CLIENT_FLAGS_HELP,
  connect,
  parseClientFlags,
  reasonFlag,
  requiredFlag,
  revisionFlag,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import type { ParsedFlags } from '../parse-flags.js';
import { UsageError } from '../usage-error.js';

type Flags = ParsedFlags['values'];
type TargetFlag = 'revision' | 'stage' | 'step' | 'to-revision';

interface OperationSpec {
  kind: OperationKind;
  /** What it does, for the help. */
  does: string;
  flags: readonly TargetFlag[];
  request(command: string, v: Flags, reason: string): OperationRequest;
  /** The text printed once accepted. */
  done(request: OperationRequest, response: OperationResponse, slug: string): string;
}

const FLAG_HELP: Record<TargetFlag, string> = {
  revision: '  --revision N        The deployment',
  stage: '  --stage S           The stage',
  step: '  --step S            The step waiting for a decision',
  'to-revision': '  --to-revision N     A revision that succeeded in the stage before',
};

const FLAG_USAGE: Record<TargetFlag, string> = {
  revision: '--revision N',
  stage: '--stage S',
  step: '--step S',
  'to-revision': '--to-revision N',
};

function revision(command: string, v: Flags, name: 'revision' | 'to-revision'): number {
  const value = revisionFlag(command, v, name);
  if (value === undefined) throw new UsageError(`--${name} N is required`, command);
  return value;
}

const stage = (command: string, v: Flags) => requiredFlag(command, v, 'stage', 'S');

const SPECS: Record<string, OperationSpec> = {
  approve: {
    kind: 'approve',
    does: 'Approves a step waiting for a person: a bake (ends it early), an\nAPPROVAL:MANUAL step, or a step that asked (a Terraform plan).',
    flags: ['revision', 'stage', 'step'],
    request: (c, v, reason) => ({
      kind: 'approve',
      revision: revision(c, v, 'revision'),
      stage: stage(c, v),
      step: requiredFlag(c, v, 'step', 'S'),
      reason,
    }),
    done: (r) => (r.kind === 'approve' ? `approved #${r.revision} ${r.stage}/${r.step}\n` : ''),
  },
  reject: {
    kind: 'reject',
    does: 'Rejects a step waiting for a person: the step and its stage fail.',
    flags: ['revision', 'stage', 'step'],
    request: (c, v, reason) => ({
      kind: 'reject',
      revision: revision(c, v, 'revision'),
      stage: stage(c, v),
      step: requiredFlag(c, v, 'step', 'S'),
      reason,
    }),
    done: (r) =>
      r.kind === 'reject' ? `rejected #${r.revision} ${r.stage}/${r.step}: the stage fails\n` : '',
  },
  cancel: {
    kind: 'cancel',
    does: 'Stops a deployment wherever it is; its running steps are cancelled.',
    flags: ['revision'],
    request: (c, v, reason) => ({ kind: 'cancel', revision: revision(c, v, 'revision'), reason }),
    done: (r, _a, slug) => (r.kind === 'cancel' ? `cancelled ${slug} #${r.revision}\n` : ''),
  },
  retry: {
    kind: 'retry',
    does: 'Runs a failed stage again with the same revision.',
    flags: ['revision', 'stage'],
    request: (c, v, reason) => ({
      kind: 'retry',
      revision: revision(c, v, 'revision'),
      stage: stage(c, v),
      reason,
    }),
    done: (r) => (r.kind === 'retry' ? `retrying ${r.stage} with #${r.revision}\n` : ''),
  },
  rollback: {
    kind: 'rollback',
    does: 'Restores an earlier revision that succeeded in the stage. The stage stays\nblocked until `rampart roll-forward`.',
    flags: ['stage', 'to-revision'],
    request: (c, v, reason) => ({
      kind: 'rollback',
      stage: stage(c, v),
      toRevision: revision(c, v, 'to-revision'),
      reason,
    }),
    done: (r, a, slug) =>
      r.kind === 'rollback'
        ? `rolling back ${r.stage} to #${r.toRevision}${a.rollbackId === undefined ? '' : ` (rollback ${a.rollbackId})`}; ` +
          `the stage stays blocked until: rampart roll-forward --pipeline ${slug} --stage ${r.stage} --reason TEXT\n`
        : '',
  },
  'roll-forward': {
    kind: 'roll-forward',
    does: "Lifts a rollback's blocker and deploys the newest revision to the stage again.",
    flags: ['stage'],
    request: (c, v, reason) => ({ kind: 'roll-forward', stage: stage(c, v), reason }),
    done: (r, a) =>
      r.kind === 'roll-forward'
        ? `rolled ${r.stage} forward${a.revision === undefined ? '' : `: deploying #${a.revision} there again`}\n`
        : '',
  },
  stop: {
    kind: 'stop',
    does: 'Blocks a stage: no revision enters it until `rampart resume`.',
    flags: ['stage'],
    request: (c, v, reason) => ({ kind: 'stop', stage: stage(c, v), reason }),
    done: (r, _a, slug) =>
      r.kind === 'stop'
        ? `stopped ${r.stage}: no revision enters it until: rampart resume --pipeline ${slug} --stage ${r.stage} --reason TEXT\n`
        : '',
  },
  resume: {
    kind: 'resume',
    does: 'Lifts the blocker `rampart stop` put on a stage.',
    flags: ['stage'],
    request: (c, v, reason) => ({ kind: 'resume', stage: stage(c, v), reason }),
    done: (r) => (r.kind === 'resume' ? `resumed ${r.stage}\n` : ''),
  },
  'override-window': {
    kind: 'override-window',
    does: "Lets a waiting revision start in a stage although the stage's deployment\nwindow is closed.",
    flags: ['revision', 'stage'],
    request: (c, v, reason) => ({
      kind: 'override-window',
      revision: revision(c, v, 'revision'),
      stage: stage(c, v),
      reason,
    }),
    done: (r) =>
      r.kind === 'override-window'
        ? `window overridden: #${r.revision} may start in ${r.stage} now\n`
        : '',
  },
};

/** The names of the operation commands. */
export const OPERATION_COMMANDS = Object.keys(SPECS);

function helpOf(name: string, spec: OperationSpec): string {
  const usage = spec.flags.map((f) => FLAG_USAGE[f]).join(' ');
  return `Usage: rampart ${name} ${usage} --reason TEXT [--pipeline SLUG] [--json]

${spec.does}

Options:
${spec.flags.map((f) => FLAG_HELP[f]).join('\n')}
  --reason TEXT       Why (required): recorded in the audit trail with the name
                      of your token
  --pipeline SLUG     The pipeline (may be left out when only one is registered)
${CLIENT_FLAGS_HELP}

Needs a deployer (or admin) token. The server refuses what the pipeline's
state does not allow (exit 1, with its code: STAGE_BUSY, NOT_STOPPED, …).
`;
}

/** The command module of one operation (`approve`, `roll-forward`, …). */
export function operationCommand(name: string): {
  help: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
} {
  const spec = SPECS[name];
  if (spec === undefined) throw new Error(`no operation command "${name}"`);
  const help = helpOf(name, spec);
  return {
    help,
    async run(argv, io) {
      const { values, json } = parseClientFlags(name, argv, {
        pipeline: { type: 'string' },
        reason: { type: 'string' },
        ...Object.fromEntries(spec.flags.map((f) => [f, { type: 'string' as const }])),
      });
      if (values.help === true) {
        io.stdout(help);
        return EXIT.ok;
      }
      const request = spec.request(name, values, reasonFlag(name, values));
      return withJsonErrors(json, io, async () => {
        const client = connect(io, values);
        const slug = await choosePipeline(name, client, stringFlag(values, 'pipeline'));
        const response = await client.operate(slug, request);
        io.stdout(
          json ? `${JSON.stringify(response, null, 2)}\n` : spec.done(request, response, slug),
        );
        return EXIT.ok;
      });
    },
  };
}
