// Test support: ECS clients on a manual clock, users with given policies, task definitions, and
// images pushed through the ECR API.
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  ECRClient,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type Deployment,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { clientConfig, clients, type TestCredentials } from '../../../../tests/sdk-clients.js';
import type { ManualClock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';

/** A client whose signing clock follows a manual clock. */
interface Signing {
  config: { systemClockOffset?: number };
}

/** Clients that sign with each manual clock's time, kept in step by {@link advance}. */
const followers = new WeakMap<ManualClock, Signing[]>();

/** Makes a client sign with the manual clock's time, now and after every {@link advance}. */
export function following<T extends Signing>(clock: ManualClock, client: T): T {
  const list = followers.get(clock) ?? [];
  list.push(client);
  followers.set(clock, list);
  return client;
}

/** An ECS client for some credentials. */
export function ecsClient(sandbox: Sandbox, credentials: TestCredentials, clock: ManualClock) {
  return following(clock, new ECSClient(clientConfig(sandbox, credentials, { clock })));
}

/** An ECR client for some credentials. */
export function ecrClient(sandbox: Sandbox, credentials: TestCredentials, clock: ManualClock) {
  return following(clock, new ECRClient(clientConfig(sandbox, credentials, { clock })));
}

/** Moves the clock, keeps the clients' signatures in step and runs the background work. */
export async function advance(sandbox: Sandbox, clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  for (const client of followers.get(clock) ?? []) {
    client.config.systemClockOffset = clock.now().getTime() - Date.now();
  }
  await sandbox.control.tick();
}

/** Creates an IAM user with one inline policy in an account; returns its keys. */
export async function userWithPolicy(
  sandbox: Sandbox,
  clock: ManualClock,
  accountId: string,
  name: string,
  statements: object[],
): Promise<TestCredentials> {
  const { iam } = clients(sandbox, sandbox.credentialsFor(accountId), { clock });
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'access',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return {
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
}

/** Creates a role ECS tasks can assume; returns its ARN. */
export async function taskRole(
  sandbox: Sandbox,
  clock: ManualClock,
  accountId: string,
  name: string,
): Promise<string> {
  const { iam } = clients(sandbox, sandbox.credentialsFor(accountId), { clock });
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  return Role?.Arn ?? '';
}

/** A literal image URI with a digest that no registry holds (`nginx@sha256:…`). */
export function literalImage(name = 'nginx'): { image: string; digest: string } {
  const digest = `sha256:${randomBytes(32).toString('hex')}`;
  return { image: `${name}@${digest}`, digest };
}

/** A Fargate task definition input with one `web` container. */
export function fargateDefinition(
  family: string,
  image: string,
  container: Partial<ContainerDefinition> = {},
  extra: Partial<RegisterTaskDefinitionCommandInput> = {},
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image,
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        ...container,
      },
    ],
    ...extra,
  };
}

/** Registers a task definition; returns its ARN. */
export async function register(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<string> {
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(input));
  return taskDefinition?.taskDefinitionArn ?? '';
}

const sha256 = (data: Buffer | string): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Pushes a small random image through the ECR API; returns its URI by digest and the digest. */
export async function pushImage(
  ecr: ECRClient,
  repositoryName: string,
  tag: string,
): Promise<{ repositoryUri: string; digest: string }> {
  const repositoryUri = await ecr
    .send(new CreateRepositoryCommand({ repositoryName }))
    .then((out) => out.repository?.repositoryUri ?? '')
    .catch((error: unknown) => {
      if ((error as Error).name !== 'RepositoryAlreadyExistsException') throw error;
      return '';
    });
  const layer = randomBytes(64);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers' } }),
  );
  for (const blob of [layer, config]) {
    const { uploadId } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName }));
    await ecr.send(
      new UploadLayerPartCommand({
        repositoryName,
        uploadId,
        partFirstByte: 0,
        partLastByte: blob.length - 1,
        layerPartBlob: blob,
      }),
    );
    await ecr.send(
      new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [sha256(blob)] }),
    );
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256(layer),
        size: layer.length,
      },
    ],
  });
  const { image } = await ecr.send(
    new PutImageCommand({ repositoryName, imageManifest: manifest, imageTag: tag }),
  );
  return { repositoryUri, digest: image?.imageId?.imageDigest ?? sha256(manifest) };
}

/** One deployment, compactly: `PRIMARY web:2 IN_PROGRESS running=1 pending=1 failed=0`. */
export function deploymentLine(deployment: Deployment): string {
  const definition = (deployment.taskDefinition ?? '').split('/').pop() ?? '';
  return (
    `${deployment.status ?? ''} ${definition} ${deployment.rolloutState ?? ''} ` +
    `running=${String(deployment.runningCount)} pending=${String(deployment.pendingCount)} ` +
    `failed=${String(deployment.failedTasks)}`
  );
}

/** The service as DescribeServices shows it now. */
export async function describeService(
  ecs: ECSClient,
  cluster: string,
  name: string,
): Promise<Service> {
  const { services } = await ecs.send(
    new DescribeServicesCommand({ cluster, services: [name], include: ['TAGS'] }),
  );
  const service = services?.[0];
  if (!service) throw new Error(`no service ${name}`);
  return service;
}

/** The service's deployments, one line each (PRIMARY first). */
export async function deploymentLines(
  ecs: ECSClient,
  cluster: string,
  name: string,
): Promise<string[]> {
  return ((await describeService(ecs, cluster, name)).deployments ?? []).map(deploymentLine);
}
