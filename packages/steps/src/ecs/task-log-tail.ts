// The container output of a one-off task, read from CloudWatch Logs (the awslogs driver) into the
// step log while the step waits for the task, and once more after it stopped.
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { awsMessage, isAwsError } from '../aws-step/step-failure.js';

/** One container's log stream. */
export interface TaskLogStream {
  container: string;
  group: string;
  stream: string;
  region: string;
}

/**
 * The awslogs streams of a task's containers: `<prefix>/<container>/<task id>` (or
 * `<container>/<task id>` without a prefix) in `awslogs-group`, in `awslogs-region` or the task's.
 */
export function taskLogStreams(
  containers: readonly ContainerDefinition[],
  taskId: string,
  taskRegion: string,
): TaskLogStream[] {
  const streams: TaskLogStream[] = [];
  for (const c of containers) {
    const config = c.logConfiguration;
    const group = config?.options?.['awslogs-group'];
    if (config?.logDriver !== 'awslogs' || group === undefined || c.name === undefined) continue;
    const prefix = config.options?.['awslogs-stream-prefix'];
    streams.push({
      container: c.name,
      group,
      stream: `${prefix === undefined || prefix === '' ? '' : `${prefix}/`}${c.name}/${taskId}`,
      region: config.options?.['awslogs-region'] ?? taskRegion,
    });
  }
  return streams;
}

/** Follows streams with GetLogEvents, each from its head, writing every new event as a line. */
export class TaskLogTail {
  private readonly tokens = new Map<TaskLogStream, string>();
  private readonly given = new Set<TaskLogStream>();

  constructor(
    private readonly streams: readonly TaskLogStream[],
    private readonly clientFor: (region: string) => CloudWatchLogsClient,
    private readonly write: (line: string, stream: 'stdout' | 'info') => void,
  ) {}

  /** Reads every stream to its current end. Never throws: an unreadable stream is reported once. */
  async drain(): Promise<void> {
    const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const label = this.streams.length > 1;
    for (const s of this.streams) {
      if (this.given.has(s)) continue;
      try {
        for (;;) {
          const token = this.tokens.get(s);
          const out = await this.clientFor(s.region).send(
            new GetLogEventsCommand({
              logGroupName: s.group,
              logStreamName: s.stream,
              startFromHead: true,
              ...(token === undefined ? {} : { nextToken: token }),
            }),
          );
          for (const e of out.events ?? []) {
            this.write(`${label ? `[${s.container}] ` : ''}${e.message ?? ''}`, 'stdout');
          }
          const next = out.nextForwardToken;
          // The same token back means the end of the stream for now.
          if (next === undefined || next === token) break;
          this.tokens.set(s, next);
          if ((out.events ?? []).length === 0) break;
        }
      } catch (error) {
        // The stream appears once the container starts.
        if (isAwsError(error, 'ResourceNotFoundException')) continue;
        this.given.add(s);
        this.write(
          `cannot read the log of container ${s.container} (${s.group} ${s.stream}): ${awsMessage(error)}`,
          'info',
        );
      }
    }
  }
}
