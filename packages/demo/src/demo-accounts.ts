/**
 * The demo's administrator in the sandbox's management account: bootstraps the organization for
 * the example pipeline, creates each stage's service (and alarm) through
 * `OrganizationAccountAccessRole`, and reads back what the services run.
 */
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  bootstrapSettingsFrom,
  deployStack,
  loadPipelines,
  reachAccount,
  runBootstrap,
  type AwsClientFactory,
  type BootstrapEvent,
  type Poller,
} from '@rampart/aws';
import { RampartError, type ControlPlaneConfig } from '@rampart/core';
import type { ServiceState } from './demo-checks.js';
import type { DemoEventBody } from './demo-events.js';
import { DEMO_ACCOUNTS, DEMO_SERVICE, DEMO_STAGES, WORKLOAD_STACK } from './demo-settings.js';
import { workloadTemplate } from './workload-stack.js';

/** What the administrator works with. */
export interface DemoAdmin {
  /** Clients with the management account's admin credentials by default, on the demo clock. */
  sdk: AwsClientFactory;
  /** How stack deployments wait between polls. */
  poller: Poller;
  emit: (event: DemoEventBody) => void;
}

/**
 * `rampart bootstrap` for the example repository: the OIDC provider in every account, the
 * organization's stack in the CI/CD account, and each stage's role. Returns the stack count.
 */
export async function bootstrapOrganization(
  admin: DemoAdmin,
  config: ControlPlaneConfig,
  repositoryDir: string,
): Promise<number> {
  const settings = bootstrapSettingsFrom(config);
  const loaded = await loadPipelines(repositoryDir, settings);
  if (loaded.errors.length > 0 || loaded.pipelines.length === 0) {
    throw setupFailed(
      `the example pipeline does not load: ${loaded.errors.map((d) => `${d.code}: ${d.message}`).join('; ') || 'no pipeline found'}`,
    );
  }
  const failures: string[] = [];
  let stacks = 0;
  const outcome = await runBootstrap({
    settings,
    pipelines: loaded.pipelines,
    mode: 'deploy',
    sdk: admin.sdk,
    poller: admin.poller,
    emit: (event: BootstrapEvent) => {
      if (event.type === 'stack-done') {
        stacks += 1;
        admin.emit({
          type: 'bootstrap-stack',
          stackName: event.stack.stackName,
          accountId: event.stack.accountId,
          region: event.stack.region,
          result: event.result,
        });
      } else if (event.type === 'stack-failed' || event.type === 'account-unreachable') {
        failures.push(event.message);
      }
    },
  });
  if (!outcome.ok) throw setupFailed(`bootstrap failed: ${failures.join('; ')}`);
  return stacks;
}

/** Creates the workload stack (cluster, service on the v1 image, alarm) of every stage. */
export async function createWorkloads(admin: DemoAdmin): Promise<void> {
  await Promise.all(
    DEMO_STAGES.map(async (stage) => {
      const cfn = admin.sdk.cloudFormation({
        region: stage.region,
        credentials: await stageAdmin(admin, stage.accountId, stage.region),
      });
      try {
        await deployStack({
          cfn,
          stack: {
            kind: 'stage',
            stackName: WORKLOAD_STACK,
            accountId: stage.accountId,
            region: stage.region,
          },
          template: workloadTemplate(stage),
          tags: [{ Key: 'rampart:demo', Value: stage.name }],
          emit: () => undefined,
          poller: admin.poller,
        });
      } catch (error) {
        throw setupFailed(
          `the ${stage.name} service could not be created: ${error instanceof Error ? error.message : String(error)}`,
          error,
        );
      }
      admin.emit({
        type: 'workload-ready',
        stage: stage.name,
        accountId: stage.accountId,
        region: stage.region,
        ...(stage.alarm === undefined ? {} : { alarm: stage.alarm }),
      });
    }),
  );
}

/** What each stage's service runs now: task definition, its image, the rollout state. */
export async function readServices(admin: DemoAdmin): Promise<ServiceState[]> {
  return Promise.all(
    DEMO_STAGES.map(async (stage): Promise<ServiceState> => {
      const ecs = admin.sdk.ecs({
        region: stage.region,
        credentials: await stageAdmin(admin, stage.accountId, stage.region),
      });
      const described = await ecs.send(
        new DescribeServicesCommand({ cluster: DEMO_SERVICE, services: [DEMO_SERVICE] }),
      );
      const service = described.services?.[0];
      const taskDefinitionArn = service?.taskDefinition;
      if (taskDefinitionArn === undefined) return { stage: stage.name };
      const task = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
      );
      const image = task.taskDefinition?.containerDefinitions?.find(
        (c) => c.name === DEMO_SERVICE,
      )?.image;
      const rolloutState = service?.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState;
      return {
        stage: stage.name,
        taskDefinitionArn,
        ...(image === undefined ? {} : { image }),
        ...(rolloutState === undefined ? {} : { rolloutState }),
      };
    }),
  );
}

/** Credentials of `OrganizationAccountAccessRole` in a stage account, as an administrator uses it. */
async function stageAdmin(admin: DemoAdmin, accountId: string, region: string) {
  const access = await reachAccount({
    sdk: admin.sdk,
    callerAccount: DEMO_ACCOUNTS.management,
    accountId,
    region,
  });
  return access.credentials;
}

function setupFailed(message: string, cause?: unknown): RampartError {
  return new RampartError('DEMO_SETUP_FAILED', message, {
    source: 'system',
    hint: 'Run `RAMPART_DEBUG=1 rampart demo` and report the output.',
    ...(cause === undefined ? {} : { cause }),
  });
}
