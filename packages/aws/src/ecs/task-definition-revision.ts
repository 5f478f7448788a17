// A new task definition revision: the reference revision's registrable fields with one
// container's image replaced. Read-only fields AWS returns (ARN, revision, status, …) are dropped,
// and so are tags: tagging on registration needs ecs:TagResource, which a stage role lacks.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { RampartError } from '@rampart/core';

/** Input of {@link taskDefinitionRevision}. */
export interface RevisionRequest {
  reference: TaskDefinition;
  imageUrl: string;
  /** Required when the task has several containers. @default the only container */
  containerName?: string;
}

/** The RegisterTaskDefinition input of the new revision. */
export function taskDefinitionRevision(
  request: RevisionRequest,
): RegisterTaskDefinitionCommandInput {
  const { reference } = request;
  const containers = reference.containerDefinitions ?? [];
  const target = chooseContainer(reference, request.containerName);
  return {
    family: reference.family,
    containerDefinitions: containers.map((c) =>
      c.name === target ? { ...c, image: request.imageUrl } : c,
    ),
    ...optional('taskRoleArn', reference.taskRoleArn),
    ...optional('executionRoleArn', reference.executionRoleArn),
    ...optional('networkMode', reference.networkMode),
    ...optional('volumes', reference.volumes),
    ...optional('placementConstraints', reference.placementConstraints),
    ...optional('requiresCompatibilities', reference.requiresCompatibilities),
    ...optional('cpu', reference.cpu),
    ...optional('memory', reference.memory),
    ...optional('pidMode', reference.pidMode),
    ...optional('ipcMode', reference.ipcMode),
    ...optional('proxyConfiguration', reference.proxyConfiguration),
    ...optional('inferenceAccelerators', reference.inferenceAccelerators),
    ...optional('ephemeralStorage', reference.ephemeralStorage),
    ...optional('runtimePlatform', reference.runtimePlatform),
  };
}

function chooseContainer(reference: TaskDefinition, containerName: string | undefined): string {
  const names = (reference.containerDefinitions ?? []).map((c) => c.name ?? '');
  const where = reference.taskDefinitionArn ?? reference.family ?? 'the task definition';
  if (containerName !== undefined) {
    if (!names.includes(containerName)) {
      throw new RampartError(
        'ECS_CONTAINER_NOT_FOUND',
        `${where} has no container "${containerName}"; it has ${names.map((n) => `"${n}"`).join(', ') || 'none'}`,
        { hint: 'Set container_name to one of the containers of the reference task definition.' },
      );
    }
    return containerName;
  }
  if (names.length !== 1) {
    throw new RampartError(
      'ECS_CONTAINER_NOT_FOUND',
      `${where} has ${names.length} containers (${names.map((n) => `"${n}"`).join(', ')}); container_name must say which one gets the new image`,
      { hint: 'Add container_name to the ECS:DEPLOY step params.' },
    );
  }
  return names[0] ?? '';
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
