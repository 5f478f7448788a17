// CLOUDFORMATION:DEPLOY params as the executor uses them: core's catalog schema, resolved.
import { STEP_TYPES, type CLOUDFORMATION_CAPABILITIES } from '@rampart/core';
import { resolvedStringMap } from '../aws-step/resolved-values.js';
import { resolvedText } from '../params/resolve-params.js';

/** A capability a template may need acknowledged. */
export type CloudFormationCapability = (typeof CLOUDFORMATION_CAPABILITIES)[number];

/** CLOUDFORMATION:DEPLOY params, resolved. */
export interface CloudFormationDeployParams {
  /** Path of the template, relative to the repository root. */
  template: string;
  stack_name: string;
  /** Every parameter the stack gets; the others take the template's defaults. @default {} */
  parameters: Record<string, string>;
  /** @default [] */
  capabilities: CloudFormationCapability[];
  /** Stack tags, propagated to the resources. @default {} */
  tags: Record<string, string>;
}

/** The schema of CLOUDFORMATION:DEPLOY params: core's, resolved. */
export const cloudFormationDeployParams = STEP_TYPES[
  'RAMPART:CLOUDFORMATION:DEPLOY'
].params.transform((raw, ctx): CloudFormationDeployParams => {
  let capabilities: CloudFormationCapability[] = [];
  if (typeof raw.capabilities === 'string') {
    resolvedText(raw.capabilities, 'capabilities', ctx);
    ctx.addIssue({ code: 'custom', path: ['capabilities'], message: 'expected a list' });
  } else if (raw.capabilities !== undefined) {
    capabilities = raw.capabilities;
  }
  return {
    template: resolvedText(raw.template, 'template', ctx),
    stack_name: resolvedText(raw.stack_name, 'stack_name', ctx),
    parameters: resolvedStringMap(raw.parameters, 'parameters', ctx, { lists: true }),
    capabilities,
    tags: resolvedStringMap(raw.tags, 'tags', ctx),
  };
});
