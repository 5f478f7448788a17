/** `rampart approvals list|show`: approvals waiting for a person, and one in full (a Terraform plan). */
import { RampartError } from '@rampart/core';
import type { PendingApprovalInfo } from '@rampart/protocol';
import { EXIT, type CliIo } from '../cli-io.js';
import {
  choosePipeline,
  CLIENT_FLAGS_HELP,
  connect,
  parseClientFlags,
  stringFlag,
  withJsonErrors,
} from '../client/client-command.js';
import type { RampartClient } from '../client/rampart-client.js';
import { UsageError } from '../usage-error.js';
import { approvalListText, approvalText, deploymentName } from './approvals-text.js';

export const help = `Usage: rampart approvals list [--pipeline SLUG] [--json]
       rampart approvals show ID|REVISION|SLUG:REVISION [--pipeline SLUG] [--json]

Approvals waiting for a person: bakes, APPROVAL:MANUAL steps, and steps that
ask (a Terraform plan that deletes or replaces resources, per its
requires_approval). Decide one with rampart approve or rampart reject.

Subcommands:
  list                Every pending approval, oldest first: its id, where it
                      waits, since when, and who may approve it
  show ID             One approval in full: the step's request (a Terraform
                      plan's counts and the resources it changes) and the
                      commands that approve or reject it
  show REVISION       The approvals deployment REVISION waits for (SLUG:REVISION
                      names the pipeline too)

Options:
  --pipeline SLUG     Only this pipeline (show REVISION: may be left out when
                      only one is registered)
${CLIENT_FLAGS_HELP}
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    if (sub === undefined) throw new UsageError('name a subcommand: list or show', 'approvals');
    io.stdout(help);
    return EXIT.ok;
  }
  const { values, positionals, json } = parseClientFlags(
    'approvals',
    rest,
    { pipeline: { type: 'string' } },
    sub === 'show' ? 1 : 0,
  );
  if (values.help === true) {
    io.stdout(help);
    return EXIT.ok;
  }
  const pipeline = stringFlag(values, 'pipeline');
  const print = (approvals: PendingApprovalInfo[], text: string) =>
    io.stdout(json ? `${JSON.stringify({ approvals }, null, 2)}\n` : text);
  switch (sub) {
    case 'list':
      return withJsonErrors(json, io, async () => {
        const approvals = await connect(io, values).approvals(
          pipeline === undefined ? {} : { pipeline },
        );
        print(approvals, approvalListText(approvals, Date.now()));
        return EXIT.ok;
      });
    case 'show': {
      const name = positionals[0];
      if (name === undefined) {
        throw new UsageError(
          'name the approval: approvals show ID (from approvals list), REVISION or SLUG:REVISION',
          'approvals',
        );
      }
      const deployment = /^(?:([a-z0-9-]+):)?#?([1-9]\d{0,14})$/.exec(name);
      if (!/^[0-9a-f]{12}$/.test(name) && deployment === null) {
        throw new UsageError(
          `"${name}" is neither an approval id (12 hex characters, from approvals list) nor a deployment (REVISION or SLUG:REVISION)`,
          'approvals',
        );
      }
      return withJsonErrors(json, io, async () => {
        const client = connect(io, values);
        const found = await findApprovals(client, name, deployment, pipeline);
        const now = Date.now();
        print(found, found.map((a) => approvalText(a, now)).join('\n'));
        return EXIT.ok;
      });
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}": use list or show`, 'approvals');
  }
}

/** The approval with id `name`, else the ones the deployment `name` waits for; never none. */
async function findApprovals(
  client: RampartClient,
  name: string,
  deployment: RegExpExecArray | null,
  pipelineFlag: string | undefined,
): Promise<PendingApprovalInfo[]> {
  const byId = (
    await client.approvals(pipelineFlag === undefined ? {} : { pipeline: pipelineFlag })
  ).filter((a) => a.id === name);
  if (byId.length > 0 || deployment === null)
    return orNotFound(byId, `no approval ${name} is waiting`);
  const revision = Number(deployment[2]);
  const slug = deployment[1] ?? (await choosePipeline('approvals', client, pipelineFlag));
  const waiting = (await client.approvals({ pipeline: slug })).filter(
    (a) => a.revision === revision,
  );
  return orNotFound(waiting, `deployment ${deploymentName(slug, revision)} waits for no approval`);
}

function orNotFound(found: PendingApprovalInfo[], message: string): PendingApprovalInfo[] {
  if (found.length > 0) return found;
  throw new RampartError('CLIENT_APPROVAL_NOT_FOUND', message, {
    hint: 'List what waits with `rampart approvals list`; a decided approval shows in `rampart status --revision N`.',
  });
}
