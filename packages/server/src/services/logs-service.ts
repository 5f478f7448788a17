/** Step logs of a deployment: pages after a sequence number, and when a stream of them is complete. */
import {
  isTerminalDeploymentStatus,
  type DeploymentStatus,
  type LogLineInfo,
} from '@rampart/protocol';
import { buildLogStep } from '@rampart/engine';
import type { StepLogLineRecord } from '@rampart/store';
import { toDeploymentSummary } from './deployment-views.js';
import { DetailedError } from './detailed-error.js';
import type { ServerContext } from './server-context.js';

/** Which lines of a deployment a reader wants. */
export interface LogFilter {
  deploymentId: string;
  stage?: string;
  step?: string;
}

function toLogLine(record: StepLogLineRecord, deploymentId: string): LogLineInfo {
  return {
    seq: record.seq,
    deploymentId: record.deploymentId ?? deploymentId,
    stage: record.stage,
    step: record.step,
    commandId: record.commandId,
    at: record.at,
    stream: record.stream,
    text: record.text,
  };
}

/**
 * Checks a stage/step/build filter: a step needs its stage (step names repeat across stages); a
 * build names an artifact, whose build lines carry the step `build:<artifact name>`.
 */
export function logFilter(
  deploymentId: string,
  query: { stage?: string; step?: string; build?: string },
): LogFilter {
  if (query.build !== undefined) {
    if (query.step !== undefined) {
      throw new DetailedError('API_INVALID_REQUEST', 'build and step exclude each other', {
        issues: [{ path: 'query.step', message: 'not with build' }],
      });
    }
    return {
      deploymentId,
      ...(query.stage === undefined ? {} : { stage: query.stage }),
      step: buildLogStep(query.build),
    };
  }
  if (query.step !== undefined && query.stage === undefined) {
    throw new DetailedError(
      'API_INVALID_REQUEST',
      'step needs stage: step names repeat across stages',
      {
        issues: [{ path: 'query.stage', message: 'required with step' }],
      },
    );
  }
  return {
    deploymentId,
    ...(query.stage === undefined ? {} : { stage: query.stage }),
    ...(query.step === undefined ? {} : { step: query.step }),
  };
}

/** Lines after `after`, oldest first; lines still buffered in this server are stored first. */
export async function readLogs(
  ctx: Pick<ServerContext, 'store' | 'logSink'>,
  filter: LogFilter,
  after: number,
  limit: number,
): Promise<LogLineInfo[]> {
  await ctx.logSink.flush();
  const records = await ctx.store.stepLogs.read({ ...filter, afterSeq: after, limit });
  return records.map((r) => toLogLine(r, filter.deploymentId));
}

/**
 * The deployment's final status once it has finished and every line it wrote is stored;
 * `undefined` while more lines may come.
 */
export async function finishedStatus(
  ctx: Pick<ServerContext, 'store' | 'logSink'>,
  deploymentId: string,
): Promise<DeploymentStatus | undefined> {
  const row = await ctx.store.engine.getDeployment(deploymentId);
  if (row === undefined) return undefined;
  const { status } = toDeploymentSummary(row);
  if (!isTerminalDeploymentStatus(status)) return undefined;
  // Lines a step wrote just before it ended may still sit in the sink's buffer.
  await ctx.logSink.flush();
  return status;
}
