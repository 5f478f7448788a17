// The XML shapes of stacks, events, resources and change sets in CloudFormation responses.
import type { XmlValue } from '../../../protocols/xml.js';
import type {
  ChangeRecord,
  ChangeSetRecord,
  StackEvent,
  StackParameter,
  StackRecord,
  StackResource,
} from '../cfn-state.js';

const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);
const date = (iso: string | undefined): Date | undefined =>
  iso === undefined ? undefined : new Date(iso);

/** Parameters, NoEcho values masked. */
export function parametersXml(params: readonly StackParameter[]): XmlValue {
  return nonEmpty(
    params.map((param) => ({
      ParameterKey: param.key,
      ParameterValue: param.noEcho ? '****' : param.value,
    })),
  );
}

/** A `Stack` of DescribeStacks. */
export function stackXml(stack: StackRecord): XmlValue {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: stack.changeSetId,
    Description: stack.description,
    Parameters: parametersXml(stack.parameters),
    CreationTime: date(stack.creationTime),
    DeletionTime: date(stack.deletionTime),
    LastUpdatedTime: date(stack.lastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: stack.disableRollback,
    NotificationARNs: nonEmpty([...stack.notificationArns]),
    TimeoutInMinutes: stack.timeoutInMinutes,
    Capabilities: nonEmpty([...stack.capabilities]),
    Outputs: nonEmpty(
      stack.outputs.map((output) => ({
        OutputKey: output.key,
        OutputValue: output.value,
        Description: output.description,
        ExportName: output.exportName,
      })),
    ),
    RoleARN: stack.roleArn,
    Tags: nonEmpty(stack.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }))),
    EnableTerminationProtection: stack.terminationProtection,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `StackSummary` of ListStacks. */
export function stackSummaryXml(stack: StackRecord): XmlValue {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    TemplateDescription: stack.description,
    CreationTime: date(stack.creationTime),
    LastUpdatedTime: date(stack.lastUpdatedTime),
    DeletionTime: date(stack.deletionTime),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `StackEvent`. */
export function eventXml(stack: StackRecord, event: StackEvent): XmlValue {
  return {
    StackId: stack.stackId,
    EventId: event.eventId,
    StackName: stack.stackName,
    LogicalResourceId: event.logicalId,
    PhysicalResourceId: event.physicalId,
    ResourceType: event.resourceType,
    Timestamp: new Date(event.timestamp),
    ResourceStatus: event.status,
    ResourceStatusReason: event.statusReason,
    ResourceProperties: event.resourceProperties,
    ClientRequestToken: event.clientRequestToken,
  };
}

/** A `StackResource` of DescribeStackResources. */
export function stackResourceXml(stack: StackRecord, resource: StackResource): XmlValue {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    Timestamp: new Date(resource.lastUpdated),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `StackResourceDetail` of DescribeStackResource. */
export function stackResourceDetailXml(stack: StackRecord, resource: StackResource): XmlValue {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: new Date(resource.lastUpdated),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `StackResourceSummary` of ListStackResources. */
export function stackResourceSummaryXml(resource: StackResource): XmlValue {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: new Date(resource.lastUpdated),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `Change` of DescribeChangeSet. */
export function changeXml(change: ChangeRecord): XmlValue {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: change.action,
      LogicalResourceId: change.logicalId,
      PhysicalResourceId: change.physicalId,
      ResourceType: change.resourceType,
      Replacement: change.replacement,
      Scope: nonEmpty([...change.scope]),
      Details: nonEmpty(
        change.details.map((detail) => ({
          Target: {
            Attribute: detail.target.attribute,
            Name: detail.target.name,
            RequiresRecreation: detail.target.requiresRecreation,
          },
          Evaluation: detail.evaluation,
          ChangeSource: detail.changeSource,
          CausingEntity: detail.causingEntity,
        })),
      ),
    },
  };
}

/** A `ChangeSetSummary` of ListChangeSets. */
export function changeSetSummaryXml(changeSet: ChangeSetRecord): XmlValue {
  return {
    StackId: changeSet.stackId,
    StackName: changeSet.stackName,
    ChangeSetId: changeSet.changeSetId,
    ChangeSetName: changeSet.changeSetName,
    ExecutionStatus: changeSet.executionStatus,
    Status: changeSet.status,
    StatusReason: changeSet.statusReason,
    CreationTime: new Date(changeSet.creationTime),
    Description: changeSet.description,
  };
}
