// RegisterTaskDefinition's input, checked as ECS checks it (ClientException wording) and
// normalised into what DescribeTaskDefinition returns: defaults filled in, task CPU and memory as
// unit-less strings, the attributes and compatibilities ECS derives.
import type { Input, InputValue } from '../../framework/input.js';
import { clientError } from './ecs-errors.js';
import { isRegistryImage } from './image-pull.js';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];
const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];
const LOG_DRIVERS = [
  'json-file',
  'syslog',
  'journald',
  'gelf',
  'fluentd',
  'awslogs',
  'splunk',
  'awsfirelens',
];

/** Fargate's CPU units → the memory sizes (MiB) it accepts. */
const FARGATE_SIZES: Record<string, (memory: number) => boolean> = {
  '256': (m) => [512, 1024, 2048].includes(m),
  '512': (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  '1024': (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  '2048': (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  '4096': (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
  '8192': (m) => m >= 16384 && m <= 61440 && m % 4096 === 0,
  '16384': (m) => m >= 32768 && m <= 122880 && m % 8192 === 0,
};

/** What RegisterTaskDefinition will store. */
export interface RegisteredDefinition {
  family: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  /** The body DescribeTaskDefinition returns (without family, revision, status and dates). */
  body: Record<string, InputValue>;
}

/** `"1 vCPU"` → `"1024"`, `"0.5 vcpu"` → `"512"`, `"512"` → `"512"`. */
function cpuUnits(value: string): string {
  const vcpu = /^\s*([\d.]+)\s*vcpu\s*$/i.exec(value);
  if (vcpu) return String(Math.round(Number(vcpu[1]) * 1024));
  if (/^\s*\d+\s*$/.test(value)) return value.trim();
  throw clientError(`Invalid 'cpu' setting for task: ${value}`);
}

/** `"2 GB"` → `"2048"`, `"512 MiB"` → `"512"`, `"512"` → `"512"`. */
function memoryMiB(value: string): string {
  const gb = /^\s*([\d.]+)\s*gb\s*$/i.exec(value);
  if (gb) return String(Math.round(Number(gb[1]) * 1024));
  const mib = /^\s*(\d+)\s*(?:mb|mib)?\s*$/i.exec(value);
  if (mib) return mib[1] ?? '';
  throw clientError(`Invalid 'memory' setting for task: ${value}`);
}

function record(value: InputValue | undefined): Record<string, InputValue> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function normalizeContainer(
  container: Input,
  networkMode: string | undefined,
  taskMemory: string | undefined,
): Record<string, InputValue> {
  const name = container.str('name');
  if (name === undefined || name === '') {
    throw clientError('Container.name should not be null or empty.');
  }
  if (!CONTAINER_NAME.test(name)) {
    throw clientError(
      `Container name '${name}' is invalid: up to 255 letters, numbers, hyphens and underscores are allowed.`,
    );
  }
  const image = container.str('image');
  if (image === undefined || image.trim() === '') {
    throw clientError('Container.image should not be null or empty.');
  }
  const memory = container.int('memory');
  const reservation = container.int('memoryReservation');
  if (taskMemory === undefined && memory === undefined && reservation === undefined) {
    throw clientError(
      `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  if (memory !== undefined && reservation !== undefined && reservation > memory) {
    throw clientError(
      `Invalid setting for container '${name}'. 'memoryReservation' must be less than or equal to 'memory'.`,
    );
  }
  const logging = container.obj('logConfiguration');
  if (logging) {
    const driver = logging.reqStr('logDriver');
    if (!LOG_DRIVERS.includes(driver)) {
      throw clientError(`Log driver ${driver} is not supported.`);
    }
  }
  const portMappings = container.list('portMappings').map((mapping) => {
    const containerPort = mapping.int('containerPort');
    const hostPort = mapping.int('hostPort');
    if (networkMode === 'awsvpc' && hostPort !== undefined && hostPort !== containerPort) {
      throw clientError(
        'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
      );
    }
    return {
      ...mapping.raw,
      ...(containerPort !== undefined ? { containerPort } : {}),
      ...(networkMode === 'awsvpc' && containerPort !== undefined
        ? { hostPort: containerPort }
        : {}),
      protocol: mapping.str('protocol') ?? 'tcp',
    };
  });
  for (const entry of container.list('environment')) entry.reqStr('name');
  return {
    ...container.raw,
    name,
    image,
    cpu: container.int('cpu') ?? 0,
    ...(memory !== undefined ? { memory } : {}),
    ...(reservation !== undefined ? { memoryReservation: reservation } : {}),
    portMappings,
    essential: container.bool('essential') ?? true,
    environment: container.list('environment').map((entry) => ({
      name: entry.reqStr('name'),
      value: entry.str('value') ?? '',
    })),
    mountPoints: container.list('mountPoints').map((entry) => entry.raw),
    volumesFrom: container.list('volumesFrom').map((entry) => entry.raw),
  };
}

function attributes(
  containers: Record<string, InputValue>[],
  definition: RegisteredDefinition,
  networkMode: string | undefined,
): { name: string }[] {
  const names = new Set<string>(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  if (definition.taskRoleArn !== undefined) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  for (const container of containers) {
    if (record(container['logConfiguration'])?.['logDriver'] === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      if (definition.executionRoleArn !== undefined)
        names.add('ecs.capability.execution-role-awslogs');
    }
    const image = container['image'];
    if (typeof image === 'string' && isRegistryImage(image)) {
      names.add('com.amazonaws.ecs.capability.ecr-auth');
      if (definition.executionRoleArn !== undefined)
        names.add('ecs.capability.execution-role-ecr-pull');
    }
  }
  return [...names].sort().map((name) => ({ name }));
}

/** Reads and checks a RegisterTaskDefinition request. */
export function readTaskDefinition(input: Input): RegisteredDefinition {
  const family = input.str('family');
  if (family === undefined || family === '') throw clientError('Family cannot be blank.');
  if (!FAMILY.test(family)) {
    throw clientError(
      'Family contains invalid characters: up to 255 letters, numbers, hyphens and underscores are allowed.',
    );
  }
  const taskRoleArn = input.str('taskRoleArn');
  const executionRoleArn = input.str('executionRoleArn');
  for (const role of [taskRoleArn, executionRoleArn]) {
    if (role !== undefined && role !== '' && !ROLE_ARN.test(role)) {
      throw clientError('Role is not valid');
    }
  }
  const networkMode = input.str('networkMode');
  if (networkMode !== undefined && !NETWORK_MODES.includes(networkMode)) {
    throw clientError(`Invalid networkMode: ${networkMode}`);
  }
  const requires = input.strList('requiresCompatibilities');
  for (const item of requires) {
    if (!COMPATIBILITIES.includes(item)) {
      throw clientError(`Invalid requiresCompatibilities value: ${item}`);
    }
  }
  const cpuText = input.str('cpu');
  const memoryText = input.str('memory');
  const cpu = cpuText !== undefined && cpuText !== '' ? cpuUnits(cpuText) : undefined;
  const memory = memoryText !== undefined && memoryText !== '' ? memoryMiB(memoryText) : undefined;
  const list = input.list('containerDefinitions');
  if (list.length === 0) throw clientError('Container list cannot be empty.');
  const containers = list.map((container) => normalizeContainer(container, networkMode, memory));
  const names = containers.map((container) => container['name']);
  if (new Set(names).size !== names.length) {
    throw clientError('Container names must be unique within a task definition.');
  }
  if (!containers.some((container) => container['essential'] !== false)) {
    throw clientError('A task definition must have at least one essential container.');
  }
  const fargate = requires.includes('FARGATE');
  if (fargate) {
    if (networkMode !== 'awsvpc') throw clientError('Fargate only supports network mode ‘awsvpc’.');
    if (cpu === undefined)
      throw clientError("Fargate requires that 'cpu' be defined at the task level.");
    if (memory === undefined) {
      throw clientError("Fargate requires that 'memory' be defined at the task level.");
    }
    if (!(FARGATE_SIZES[cpu]?.(Number(memory)) ?? false)) {
      throw clientError(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
    if (executionRoleArn === undefined || executionRoleArn === '') {
      if (containers.some((c) => record(c['logConfiguration'])?.['logDriver'] === 'awslogs')) {
        throw clientError(
          'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
        );
      }
      if (containers.some((c) => typeof c['image'] === 'string' && isRegistryImage(c['image']))) {
        throw clientError(
          'Fargate requires task definition to have execution role ARN to support ECR images.',
        );
      }
    }
  }
  const registered: RegisteredDefinition = {
    family,
    ...(taskRoleArn !== undefined && taskRoleArn !== '' ? { taskRoleArn } : {}),
    ...(executionRoleArn !== undefined && executionRoleArn !== '' ? { executionRoleArn } : {}),
    body: {},
  };
  const fargateReady = networkMode === 'awsvpc' && cpu !== undefined && memory !== undefined;
  const optional: Record<string, InputValue | undefined> = {
    runtimePlatform: input.raw['runtimePlatform'],
    pidMode: input.str('pidMode'),
    ipcMode: input.str('ipcMode'),
    proxyConfiguration: input.raw['proxyConfiguration'],
    inferenceAccelerators: input.raw['inferenceAccelerators'],
    ephemeralStorage: input.raw['ephemeralStorage'],
  };
  registered.body = {
    containerDefinitions: containers,
    ...(registered.taskRoleArn !== undefined ? { taskRoleArn: registered.taskRoleArn } : {}),
    ...(registered.executionRoleArn !== undefined
      ? { executionRoleArn: registered.executionRoleArn }
      : {}),
    ...(networkMode !== undefined ? { networkMode } : {}),
    volumes: input.list('volumes').map((volume) => volume.raw),
    requiresAttributes: attributes(containers, registered, networkMode),
    placementConstraints: input.list('placementConstraints').map((item) => item.raw),
    compatibilities: fargateReady ? ['EC2', 'FARGATE'] : ['EC2'],
    requiresCompatibilities: requires,
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
    enableFaultInjection: input.bool('enableFaultInjection') ?? false,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== null) registered.body[key] = value;
  }
  return registered;
}
