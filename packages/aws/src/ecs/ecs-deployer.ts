// ECS:DEPLOY: register a task definition revision from a reference with the new image, point the
// service at it, and follow the rollout until ECS says COMPLETED or FAILED. Each AWS effect is
// journaled so a run resumed after a crash never registers twice. It needs only the actions
// core's catalog grants a stage role (no ecs:ListTaskDefinitions, no ecs:TagResource).
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory.
import type {
  Deployment,
  ECSClient,
  RegisterTaskDefinitionCommandInput,
  Service,
} from '@aws-sdk/client-ecs';
import { RampartError } from '@rampart/core';
import type { EffectJournal } from './effect-journal.js';
import { taskDefinitionRevision } from './task-definition-revision.js';

/** How the deployer waits between polls (a timer in production, a clock move in tests). */
export interface RolloutPoller {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** @default 5000 */
  intervalMs?: number;
  /** The time the timeout is measured on. */
  now(): Date;
}

/** What every deploy and rollback needs besides the client. */
export interface EcsDeployIo {
  journal: EffectJournal;
  log: (line: string) => void;
  poller: RolloutPoller;
  signal?: AbortSignal;
}

/** ECS:DEPLOY params, resolved. */
export interface EcsDeployRequest {
  cluster: string;
  service: string;
  imageUrl: string;
  /** @default the service's current task definition */
  referenceTaskDefinition?: string;
  containerName?: string;
  /** @default true */
  waitForSteadyState?: boolean;
  /** @default 30 minutes */
  timeoutMs?: number;
}

/** ECS:DEPLOY outputs. */
export interface EcsDeployResult {
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  serviceArn: string;
}

/** Registers the new revision, updates the service, and waits for the rollout. */
export async function deployEcsService(
  ecs: ECSClient,
  request: EcsDeployRequest,
  io: EcsDeployIo,
): Promise<EcsDeployResult> {
  const { DescribeTaskDefinitionCommand, UpdateServiceCommand } =
    await import('@aws-sdk/client-ecs');
  const service = await describeService(ecs, request.cluster, request.service);
  const serviceArn = service.serviceArn ?? '';
  // The previous revision is the one before this step's first run, even when this is a re-run.
  const previous =
    stringOf(await io.journal.get('previousTaskDefinitionArn')) ?? service.taskDefinition ?? '';
  await io.journal.put('previousTaskDefinitionArn', previous);

  let registered = stringOf(await io.journal.get('taskDefinitionArn'));
  if (registered === undefined) {
    const referenceName = request.referenceTaskDefinition ?? previous;
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: referenceName }),
    );
    const reference = described.taskDefinition;
    if (reference === undefined) throw notFound(`task definition ${referenceName}`);
    const input = taskDefinitionRevision({
      reference,
      imageUrl: request.imageUrl,
      ...(request.containerName === undefined ? {} : { containerName: request.containerName }),
    });
    const family = reference.family ?? '';
    // A crash may have come between RegisterTaskDefinition and the journal write: the revision
    // is then one registered after the newest this run saw before registering, with our images.
    const after = numberOf(await io.journal.get('registeredAfterRevision'));
    registered = after === undefined ? undefined : await findRegistered(ecs, family, after, input);
    if (registered === undefined) {
      await io.journal.put('registeredAfterRevision', await newestRevision(ecs, family));
      registered = await register(ecs, input, request.imageUrl, io);
    } else {
      io.log(`found ${registered}, registered by an earlier run of this step`);
    }
    await io.journal.put('taskDefinitionArn', registered);
  } else {
    io.log(`resuming with task definition ${registered}`);
  }

  const current = await describeService(ecs, request.cluster, request.service);
  const primary = primaryDeployment(current);
  if (current.taskDefinition !== registered || primary?.taskDefinition !== registered) {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: registered,
      }),
    );
    io.log(`service ${request.service} updated to ${registered}`);
  }
  if (request.waitForSteadyState ?? true) {
    await waitForRollout(ecs, request.cluster, request.service, registered, request.timeoutMs, io);
  }
  return { taskDefinitionArn: registered, previousTaskDefinitionArn: previous, serviceArn };
}

/** Rollback: points the service back at a known good revision and waits for that rollout. */
export async function rollbackEcsService(
  ecs: ECSClient,
  request: { cluster: string; service: string; taskDefinitionArn: string; timeoutMs?: number },
  io: EcsDeployIo,
): Promise<void> {
  const { UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
  const service = await describeService(ecs, request.cluster, request.service);
  if (primaryDeployment(service)?.taskDefinition !== request.taskDefinitionArn) {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: request.taskDefinitionArn,
      }),
    );
    io.log(`service ${request.service} rolled back to ${request.taskDefinitionArn}`);
  }
  await waitForRollout(
    ecs,
    request.cluster,
    request.service,
    request.taskDefinitionArn,
    request.timeoutMs,
    io,
  );
}

async function register(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
  imageUrl: string,
  io: EcsDeployIo,
): Promise<string> {
  const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const out = await ecs.send(new RegisterTaskDefinitionCommand(input));
  const arn = out.taskDefinition?.taskDefinitionArn;
  if (arn === undefined) throw new Error('RegisterTaskDefinition returned no ARN');
  io.log(`registered ${arn} with image ${imageUrl}`);
  return arn;
}

/** How many revisions past the recorded one are looked at: registrations of this run come first. */
const REVISIONS_SEARCHED = 10;

/** The newest ACTIVE revision number of `family` (0 when it has none). */
async function newestRevision(ecs: ECSClient, family: string): Promise<number> {
  const described = await describeRevision(ecs, family);
  return described?.revision ?? 0;
}

/**
 * A revision of `family` registered after revision `after` whose containers run the images of
 * `input`: what an earlier run of this step registered before it could journal the ARN. Found
 * with DescribeTaskDefinition alone, walking the revision numbers up from `after`.
 */
async function findRegistered(
  ecs: ECSClient,
  family: string,
  after: number,
  input: RegisterTaskDefinitionCommandInput,
): Promise<string | undefined> {
  const images = (input.containerDefinitions ?? []).map((c) => `${c.name ?? ''}=${c.image ?? ''}`);
  for (let revision = after + 1; revision <= after + REVISIONS_SEARCHED; revision++) {
    const found = await describeRevision(ecs, `${family}:${revision}`);
    if (found === undefined) return undefined;
    const theirs = (found.containerDefinitions ?? []).map(
      (c) => `${c.name ?? ''}=${c.image ?? ''}`,
    );
    if (theirs.join('\n') === images.join('\n')) return found.taskDefinitionArn;
  }
  return undefined;
}

/** A task definition, or undefined when ECS has none of that name. */
async function describeRevision(ecs: ECSClient, taskDefinition: string) {
  const { ClientException, DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  try {
    return (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
  } catch (error) {
    // ECS answers ClientException "Unable to describe task definition." for an unknown one.
    if (error instanceof ClientException) return undefined;
    throw error;
  }
}

async function waitForRollout(
  ecs: ECSClient,
  cluster: string,
  serviceName: string,
  taskDefinitionArn: string,
  timeoutMs: number | undefined,
  io: EcsDeployIo,
): Promise<void> {
  const deadline = io.poller.now().getTime() + (timeoutMs ?? 30 * 60_000);
  const seenEvents = new Set<string>();
  for (let first = true; ; first = false) {
    const service = await describeService(ecs, cluster, serviceName);
    for (const event of [...(service.events ?? [])].reverse()) {
      if (event.id === undefined || seenEvents.has(event.id)) continue;
      seenEvents.add(event.id);
      // Events older than this rollout are history, not news.
      if (!first) io.log(`ecs: ${event.message ?? ''}`);
    }
    const deployment = (service.deployments ?? []).find(
      (d) => d.taskDefinition === taskDefinitionArn,
    );
    const state = deployment?.rolloutState;
    if (deployment !== undefined && deployment.status === 'PRIMARY' && state === 'COMPLETED') {
      io.log(
        `rollout of ${taskDefinitionArn} completed (${deployment.runningCount ?? 0} tasks running)`,
      );
      return;
    }
    if (deployment === undefined || state === 'FAILED' || deployment.status === 'INACTIVE') {
      const reason =
        deployment?.rolloutStateReason ?? 'the deployment is no longer the primary one';
      throw new RampartError(
        'ECS_DEPLOYMENT_FAILED',
        `the rollout of ${taskDefinitionArn} to ${serviceName} failed: ${reason}`,
        {
          hint: 'The service events above say why; fix the image or task definition and deploy again.',
        },
      );
    }
    if (io.poller.now().getTime() >= deadline) {
      throw new RampartError(
        'ECS_DEPLOYMENT_FAILED',
        `the rollout of ${taskDefinitionArn} to ${serviceName} did not complete in time (${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} tasks running)`,
        { hint: 'Raise timeout_minutes on the step, or look at why tasks do not start.' },
      );
    }
    await io.poller.sleep(io.poller.intervalMs ?? 5000, io.signal);
  }
}

async function describeService(ecs: ECSClient, cluster: string, name: string): Promise<Service> {
  const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  const service = out.services?.[0];
  if (service === undefined || service.status !== 'ACTIVE') {
    throw notFound(`service ${name} in cluster ${cluster}`);
  }
  return service;
}

function primaryDeployment(service: Service): Deployment | undefined {
  return (service.deployments ?? []).find((d) => d.status === 'PRIMARY');
}

function notFound(what: string): RampartError {
  return new RampartError('ECS_SERVICE_NOT_FOUND', `${what} does not exist or is not active`, {
    hint: 'Create it first (for example in a Terraform step before this one), or correct cluster_name / service_name.',
  });
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
