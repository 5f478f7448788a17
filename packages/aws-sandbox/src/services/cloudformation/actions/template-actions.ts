// GetTemplate, ValidateTemplate, ListExports and ListImports.
import type { ActionDefinition } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';
import { cfnState, isDeleted } from '../cfn-state.js';
import { importers, liveExports } from '../engine/exports.js';
import { requiredCapabilities } from '../template/capabilities.js';
import { parseTemplate } from '../template/parse-template.js';
import { cfnAction } from './cfn-action.js';
import { cfnPage } from './read-actions.js';
import { templateSourceOf } from './read-definition.js';
import { requireChangeSet, requireStack, stackResource } from './stack-lookup.js';

const EXPORTS_PAGE = 100;

/** The template and export actions, by name. */
export const templateActions: Record<string, ActionDefinition> = {
  GetTemplate: cfnAction({
    resources: (ctx) => [stackResource(ctx, ctx.input.str('StackName'))],
    handler: (ctx) => {
      const state = cfnState(ctx);
      const changeSetName = ctx.input.str('ChangeSetName');
      const stage = ctx.input.str('TemplateStage') ?? 'Original';
      if (stage !== 'Original' && stage !== 'Processed') {
        throw validationError(
          `1 validation error detected: Value '${stage}' at 'templateStage' failed to satisfy constraint: Member must satisfy enum value set: [Processed, Original]`,
        );
      }
      const body =
        changeSetName !== undefined
          ? requireChangeSet(state, changeSetName, ctx.input.str('StackName')).templateBody
          : requireStack(state, ctx.input.reqStr('StackName')).templateBody;
      return { TemplateBody: body, StagesAvailable: ['Original', 'Processed'] };
    },
  }),
  ValidateTemplate: cfnAction({
    handler: async (ctx) => {
      const source = await templateSourceOf(ctx);
      const template = parseTemplate(source.body, source.maxBytes);
      const required = requiredCapabilities(template);
      return {
        Parameters: Object.entries(template.Parameters).map(([key, decl]) => ({
          ParameterKey: key,
          DefaultValue: decl.Default,
          NoEcho: decl.NoEcho,
          Description: decl.Description,
        })),
        Description: template.Description,
        Capabilities: required.capabilities.length > 0 ? required.capabilities : undefined,
        CapabilitiesReason: required.reason,
      };
    },
  }),
  ListExports: cfnAction({
    handler: (ctx) => {
      const exports = [...liveExports(cfnState(ctx)).values()];
      const { page, NextToken } = cfnPage(ctx, exports, EXPORTS_PAGE);
      return {
        Exports: page.map((entry) => ({
          ExportingStackId: entry.stackId,
          Name: entry.name,
          Value: entry.value,
        })),
        NextToken,
      };
    },
  }),
  ListImports: cfnAction({
    handler: (ctx) => {
      const name = ctx.input.reqStr('ExportName');
      const state = cfnState(ctx);
      const users = importers(state, name).filter((stackName) =>
        Object.values(state.stacks).some(
          (stack) => stack.stackName === stackName && !isDeleted(stack),
        ),
      );
      if (users.length === 0)
        throw validationError(`Export '${name}' is not imported by any stack.`);
      const { page, NextToken } = cfnPage(ctx, users, EXPORTS_PAGE);
      return { Imports: page, NextToken };
    },
  }),
};
