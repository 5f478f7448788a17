/**
 * The workload a stage deploys to, created in the stage account as its owner would (with the
 * account's admin, not Rampart's role): an ECS cluster and service on a first task definition,
 * and the rollback alarm. Also the reads tests assert on: what the service runs and which task
 * definitions exist.
 */
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import type { Sandbox } from '@rampart/aws-sandbox';
import type { SkippableClock } from './skippable-clock.js';

/** Where a workload lives and what it is called. */
export interface WorkloadSpec {
  accountId: string;
  region: string;
  /** Cluster, service and task definition family name; the alarm is `<name>-errors`. */
  name: string;
}

/** The image the service runs before Rampart deploys anything. */
export const INITIAL_IMAGE = 'registry.example/web:initial';

export class StageWorkloads {
  constructor(
    private readonly sandbox: Sandbox,
    private readonly clock: SkippableClock,
  ) {}

  private config(w: WorkloadSpec) {
    return {
      endpoint: this.sandbox.endpoint,
      region: w.region,
      credentials: this.sandbox.credentialsFor(w.accountId),
      maxAttempts: 1,
      // Signed with the shared clock's time, which the sandbox checks signatures against.
      systemClockOffset: this.clock.now().getTime() - Date.now(),
    };
  }

  private async withEcs<T>(w: WorkloadSpec, use: (ecs: ECSClient) => Promise<T>): Promise<T> {
    const ecs = new ECSClient(this.config(w));
    try {
      return await use(ecs);
    } finally {
      ecs.destroy();
    }
  }

  private async withCloudWatch<T>(
    w: WorkloadSpec,
    use: (cw: CloudWatchClient) => Promise<T>,
  ): Promise<T> {
    const cw = new CloudWatchClient(this.config(w));
    try {
      return await use(cw);
    } finally {
      cw.destroy();
    }
  }

  /** Cluster, first task definition, service (one task) and the alarm, OK. */
  async create(w: WorkloadSpec): Promise<void> {
    await this.withEcs(w, async (ecs) => {
      await ecs.send(new CreateClusterCommand({ clusterName: w.name }));
      const registered = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: w.name,
          containerDefinitions: [{ name: 'app', image: INITIAL_IMAGE, memory: 256 }],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster: w.name,
          serviceName: w.name,
          taskDefinition: registered.taskDefinition?.taskDefinitionArn,
          desiredCount: 1,
        }),
      );
    });
    await this.withCloudWatch(w, async (cw) => {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: `${w.name}-errors`,
          Namespace: 'AWS/ECS',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [
            { Name: 'ClusterName', Value: w.name },
            { Name: 'ServiceName', Value: w.name },
          ],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        }),
      );
    });
    await this.setAlarm(w, 'OK');
  }

  /** Sets the rollback alarm's state as CloudWatch would on an evaluation. */
  async setAlarm(w: WorkloadSpec, state: 'OK' | 'ALARM'): Promise<void> {
    await this.withCloudWatch(w, (cw) =>
      cw.send(
        new SetAlarmStateCommand({
          AlarmName: `${w.name}-errors`,
          StateValue: state,
          StateReason: state === 'ALARM' ? 'error rate above threshold' : 'errors back to zero',
        }),
      ),
    );
  }

  /** The service's task definition and the image of its container, and its rollout state. */
  async service(
    w: WorkloadSpec,
  ): Promise<{ taskDefinition: string; image: string; rollout: string; deployments: number }> {
    return this.withEcs(w, async (ecs) => {
      const out = await ecs.send(
        new DescribeServicesCommand({ cluster: w.name, services: [w.name] }),
      );
      const service = out.services?.[0];
      const taskDefinition = service?.taskDefinition ?? '';
      const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
      return {
        taskDefinition,
        image: described.taskDefinition?.containerDefinitions?.[0]?.image ?? '',
        rollout: primary?.rolloutState ?? '',
        deployments: service?.deployments?.length ?? 0,
      };
    });
  }

  /** Every ACTIVE revision of the workload's family, oldest first, with its image. */
  async revisions(w: WorkloadSpec): Promise<{ arn: string; image: string }[]> {
    return this.withEcs(w, async (ecs) => {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await ecs.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: w.name,
            sort: 'ASC',
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
        arns.push(...(page.taskDefinitionArns ?? []));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      const revisions: { arn: string; image: string }[] = [];
      for (const arn of arns) {
        const described = await ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
        );
        revisions.push({
          arn,
          image: described.taskDefinition?.containerDefinitions?.[0]?.image ?? '',
        });
      }
      return revisions;
    });
  }
}
