/**
 * What a team's own infrastructure code would have created before its first Rampart deployment:
 * in each stage's account and region, an ECS cluster and service running the team's earlier image,
 * the bucket its static site is served from, and in production the rollback alarm on the
 * service's 5xx count. One CloudFormation template.
 */
import type { CfnResource, CfnTemplate } from '@rampart/aws';
import { DEMO_SERVICE, INITIAL_IMAGE, siteBucketOf, type DemoStage } from './demo-settings.js';

/** Tasks per service: two, so a rollout replaces tasks one after another. */
export const DESIRED_COUNT = 2;

/**
 * The workload template of one stage. The alarm trips when two of the last three minutes had a
 * 5xx response: a bad rollout is caught within a few minutes, and always after the deploy step
 * itself has finished (its rollout takes seconds), so it happens during the bake.
 */
export function workloadTemplate(stage: DemoStage): CfnTemplate {
  const resources: Record<string, CfnResource> = {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: DEMO_SERVICE } },
    TaskDefinition: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: DEMO_SERVICE,
        ContainerDefinitions: [
          {
            Name: DEMO_SERVICE,
            Image: INITIAL_IMAGE,
            Essential: true,
            Memory: 256,
            PortMappings: [{ ContainerPort: 8080 }],
          },
        ],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Cluster: { Ref: 'Cluster' },
        ServiceName: DEMO_SERVICE,
        TaskDefinition: { Ref: 'TaskDefinition' },
        DesiredCount: DESIRED_COUNT,
      },
    },
    SiteBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: siteBucketOf(stage) } },
  };
  if (stage.alarm !== undefined) {
    resources['ErrorAlarm'] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: stage.alarm,
        AlarmDescription: `5xx responses of the ${DEMO_SERVICE} service: Rampart's rollback alarm for ${stage.name}`,
        // Without a load balancer the sandbox reports a service's requests under AWS/ECS.
        Namespace: 'AWS/ECS',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [
          { Name: 'ClusterName', Value: DEMO_SERVICE },
          { Name: 'ServiceName', Value: DEMO_SERVICE },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      },
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `rampart demo: the ${DEMO_SERVICE} service of stage ${stage.name}`,
    Resources: resources,
    Outputs: {
      ServiceArn: { Description: 'The ECS service', Value: { Ref: 'Service' } },
    },
  };
}
