// ECS's plain-data state per account and region: clusters (with their services and tasks) and
// task definition families. Times are ISO strings on the sandbox clock.
import type { InputValue } from '../../framework/input.js';

/** The signing name, IAM prefix and state key of ECS. */
export const ECS_SERVICE = 'ecs';

/** ECS's `{ key, value }` tag. */
export interface EcsTag {
  key: string;
  value: string;
}

/** One cluster. Deleted clusters stay, `INACTIVE`, until a cluster of the same name is created. */
export interface EcsCluster {
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: string;
  tags: EcsTag[];
  settings: { name: string; value: string }[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: InputValue[];
  configuration?: InputValue;
  /** Services by name (`INACTIVE` ones are kept for an hour). */
  services: Record<string, EcsService>;
  /** Tasks by id (stopped ones are kept for an hour). */
  tasks: Record<string, EcsTask>;
}

/** One revision of a task definition. */
export interface EcsTaskDefinition {
  family: string;
  revision: number;
  taskDefinitionArn: string;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: string;
  registeredBy: string;
  deregisteredAt?: string;
  tags: EcsTag[];
  /**
   * The definition as DescribeTaskDefinition returns it, defaults filled in, without the fields
   * above (`containerDefinitions`, `cpu`, `networkMode`, `taskRoleArn`, …).
   */
  body: Record<string, InputValue>;
}

/** The revisions of one family. */
export interface EcsFamily {
  family: string;
  /** Revisions in order; revision `n` is at index `n - 1`. */
  revisions: EcsTaskDefinition[];
}

/** A deployment's `rolloutState`. */
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** One deployment of a service (`PRIMARY` first; finished ones are dropped: `INACTIVE`). */
export interface EcsDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: string;
  updatedAt: string;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  launchType?: string;
  capacityProviderStrategy?: InputValue;
  platformVersion?: string;
  networkConfiguration?: InputValue;
}

/** A service event (`events`, newest first). */
export interface EcsServiceEvent {
  id: string;
  createdAt: string;
  message: string;
}

/** The circuit breaker and rollout limits of a service. */
export interface DeploymentConfiguration {
  maximumPercent: number;
  minimumHealthyPercent: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** `alarms`, stored and echoed. */
  alarms?: InputValue;
}

/** One service. */
export interface EcsService {
  serviceName: string;
  serviceArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  launchType?: string;
  capacityProviderStrategy?: InputValue;
  platformVersion?: string;
  loadBalancers: InputValue[];
  serviceRegistries: InputValue[];
  networkConfiguration?: InputValue;
  placementConstraints: InputValue[];
  placementStrategy: InputValue[];
  deploymentConfiguration: DeploymentConfiguration;
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  healthCheckGracePeriodSeconds?: number;
  enableECSManagedTags: boolean;
  propagateTags: string;
  enableExecuteCommand: boolean;
  roleArn?: string;
  createdAt: string;
  createdBy: string;
  /** When the service became `INACTIVE`. */
  inactiveAt?: string;
  clientToken?: string;
  tags: EcsTag[];
  deployments: EcsDeployment[];
  events: EcsServiceEvent[];
  /** The task being started, one at a time: it is RUNNING (or fails) at its `readyAt`. */
  launching?: string;
  /** Ids of the service's tasks that had not stopped when last looked at. */
  liveTaskIds: string[];
  /** After a rollback, the restored deployment completes no earlier than this. */
  settleAt?: string;
  /** Whether the service reached a steady state since it last changed (one event each time). */
  steady: boolean;
}

/** Why a task stopped. */
export type StopCode =
  'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated' | 'ServiceSchedulerInitiated';

/** One container of a task, with the sandbox conventions read from its environment. */
export interface EcsTaskContainer {
  name: string;
  containerArn: string;
  image: string;
  essential: boolean;
  /** Set once the image was pulled. */
  imageDigest?: string;
  /** `SANDBOX_EXIT_CODE`. */
  exitCode: number;
  /** `SANDBOX_RUN_SECONDS` in ms; `null` runs until stopped. */
  runMs: number | null;
  /** `SANDBOX_LOG_LINES`. */
  logLines: string[];
  /** The `awslogs` options of the container's log configuration, when it has one. */
  awslogs?: Record<string, string>;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
}

/** What happened when a task's start completed (decided at its `readyAt`). */
export type TaskOutcome =
  | { kind: 'running' }
  /** Runs, but its image is unhealthy: health checks fail it at `failsAt` (circuit breaker). */
  | { kind: 'unhealthy'; failsAt: string; reason: string }
  | { kind: 'failed'; reason: string };

/** One task (RunTask, or started by a service). */
export interface EcsTask {
  taskId: string;
  taskArn: string;
  clusterName: string;
  taskDefinitionArn: string;
  createdAt: string;
  /** When the task is RUNNING, or fails to start. */
  readyAt: string;
  /** Decided at `readyAt`. */
  outcome?: TaskOutcome;
  /** A stop asked for (StopTask, the service scheduler): effective at `at`. */
  stop?: { at: string; code: StopCode; reason: string };
  containers: EcsTaskContainer[];
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  cpu?: string;
  memory?: string;
  group: string;
  startedBy?: string;
  overrides: InputValue;
  tags: EcsTag[];
  /** The service and deployment that started it. */
  serviceName?: string;
  deploymentId?: string;
  availabilityZone: string;
  attachments: InputValue[];
  enableExecuteCommand: boolean;
  /** RunTask's `clientToken`: the same token returns the same tasks. */
  clientToken?: string;
}

/** ECS data of one account and region. */
export interface EcsState {
  clusters: Record<string, EcsCluster>;
  families: Record<string, EcsFamily>;
}

/** A fresh, empty state. */
export function initEcsState(): EcsState {
  return { clusters: {}, families: {} };
}
