/** Reading a stage's rollback alarms, which the control plane watches with the stage role. */
import { partitionOf } from '../aws-facts/index.js';
import type { StageModel } from '../model/pipeline-model.js';
import { allow, arn, type IamStatement } from '../step-types/iam-statement.js';

/** `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>` of an alarm in the stage. */
export function alarmArn(stage: Pick<StageModel, 'region' | 'accountId'>, name: string): string {
  return arn(
    partitionOf(stage.region),
    'cloudwatch',
    stage.region,
    stage.accountId,
    `alarm:${name}`,
  );
}

/** `cloudwatch:DescribeAlarms` on exactly the stage's alarms; nothing when it has none. */
export function alarmStatements(stage: StageModel): IamStatement[] {
  if (stage.alarms.length === 0) return [];
  const arns = [...new Set(stage.alarms.map((name) => alarmArn(stage, name)))].sort();
  return [allow('StageRollbackAlarms', ['cloudwatch:DescribeAlarms'], arns)];
}
