// ECS ARNs (the long format, with the cluster in service and task ARNs) and generated ids.
import { randomBytes, randomUUID } from 'node:crypto';

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` */
export function clusterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ecs:${region}:${accountId}:cluster/${name}`;
}

/** `arn:aws:ecs:<region>:<account>:service/<cluster>/<name>` */
export function serviceArn(
  region: string,
  accountId: string,
  cluster: string,
  name: string,
): string {
  return `arn:aws:ecs:${region}:${accountId}:service/${cluster}/${name}`;
}

/** `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>` */
export function taskArn(region: string, accountId: string, cluster: string, id: string): string {
  return `arn:aws:ecs:${region}:${accountId}:task/${cluster}/${id}`;
}

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` */
export function taskDefinitionArn(
  region: string,
  accountId: string,
  family: string,
  revision: number,
): string {
  return `arn:aws:ecs:${region}:${accountId}:task-definition/${family}:${revision}`;
}

/** `arn:aws:ecs:<region>:<account>:container/<cluster>/<task id>/<uuid>` */
export function containerArn(
  region: string,
  accountId: string,
  cluster: string,
  taskId: string,
): string {
  return `arn:aws:ecs:${region}:${accountId}:container/${cluster}/${taskId}/${randomUUID()}`;
}

/** A task id: 32 hex digits. */
export function newTaskId(): string {
  return randomBytes(16).toString('hex');
}

/** A deployment id: `ecs-svc/` and 19 digits. */
export function newDeploymentId(): string {
  const digits = [...randomBytes(19)].map((byte) => String(byte % 10)).join('');
  return `ecs-svc/${String(1 + (Number(digits[0]) % 9))}${digits.slice(1)}`;
}

/** The parts of an ECS ARN: `arn:aws:ecs:<region>:<account>:<type>/<rest>`. */
export interface ParsedEcsArn {
  region: string;
  accountId: string;
  type: string;
  /** The path after `<type>/`, split on `/`. */
  path: string[];
}

/** Parses an ECS ARN; undefined when the text is not one. */
export function parseEcsArn(text: string): ParsedEcsArn | undefined {
  const match = /^arn:aws:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(text);
  if (!match) return undefined;
  const [, region = '', accountId = '', type = '', rest = ''] = match;
  return { region, accountId, type, path: rest.split('/') };
}
