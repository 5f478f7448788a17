// What a create, update or change set asks a stack to become.
import type { CfnTag, StackParameter } from '../cfn-state.js';
import type { Template } from '../template/template-types.js';

/** A checked template with its parameters, tags and options. */
export interface StackDefinition {
  templateBody: string;
  template: Template;
  parameters: StackParameter[];
  tags: CfnTag[];
  description?: string;
  capabilities: string[];
  notificationArns: string[];
  /** The service role CloudFormation acts as. @default the caller */
  roleArn?: string;
}
