// A stack's events as they happen: each poll reads DescribeStackEvents (newest first) back to the
// last event already seen and hands the new ones over oldest first.
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { CloudFormationClient, StackEvent } from '@aws-sdk/client-cloudformation';

/** Pages read per poll at most; an operation rarely writes more than 100 events between polls. */
const MAX_PAGES = 10;

/** Follows the events of one stack from a marker (the newest event before the operation). */
export class StackEvents {
  /** The first failed resource of the operation (its reason explains the failure). */
  firstFailure: StackEvent | undefined;

  constructor(
    private readonly cfn: CloudFormationClient,
    private readonly stack: string,
    private marker: string | undefined,
  ) {}

  /** The id of the newest event now, to follow from. */
  static async newestId(cfn: CloudFormationClient, stack: string): Promise<string | undefined> {
    const { DescribeStackEventsCommand } = await import('@aws-sdk/client-cloudformation');
    const out = await cfn.send(new DescribeStackEventsCommand({ StackName: stack }));
    return out.StackEvents?.[0]?.EventId;
  }

  /** Events since the last call, oldest first. */
  async next(): Promise<StackEvent[]> {
    const { DescribeStackEventsCommand } = await import('@aws-sdk/client-cloudformation');
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    let pages = 0;
    read: do {
      const out = await this.cfn.send(
        new DescribeStackEventsCommand({
          StackName: this.stack,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      for (const event of out.StackEvents ?? []) {
        if (event.EventId === this.marker) break read;
        fresh.push(event);
      }
      token = out.NextToken;
      pages += 1;
    } while (token !== undefined && pages < MAX_PAGES);
    if (fresh[0]?.EventId !== undefined) this.marker = fresh[0].EventId;
    fresh.reverse();
    for (const event of fresh) {
      if (this.firstFailure === undefined && isFailure(event)) this.firstFailure = event;
    }
    return fresh;
  }
}

/** One log line for an event: `Bucket AWS::S3::Bucket CREATE_FAILED: <reason>`. */
export function eventLine(event: StackEvent): string {
  const reason =
    event.ResourceStatusReason === undefined || event.ResourceStatusReason === ''
      ? ''
      : `: ${event.ResourceStatusReason}`;
  return `${event.LogicalResourceId ?? '?'} ${event.ResourceType ?? '?'} ${event.ResourceStatus ?? '?'}${reason}`;
}

/** A resource that failed for a reason of its own (not one cancelled because another failed). */
function isFailure(event: StackEvent): boolean {
  return (
    (event.ResourceStatus ?? '').endsWith('_FAILED') &&
    event.ResourceType !== 'AWS::CloudFormation::Stack' &&
    !/cancell?ed/i.test(event.ResourceStatusReason ?? '')
  );
}
