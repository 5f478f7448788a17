// Reads what a create, update or change set call asks for: the template (body, or the previous
// one), parameters, capabilities, tags and options — every check CloudFormation makes up front.
import type { ActionContext } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';
import type { CfnTag, StackRecord } from '../cfn-state.js';
import type { StackDefinition } from '../engine/stack-definition.js';
import { enforceCapabilities } from '../template/capabilities.js';
import { resolveParameters, type GivenParameter } from '../template/parameters.js';
import { parseTemplate } from '../template/parse-template.js';

const MAX_TAGS = 50;

/** The template body a call names (`TemplateBody`, or `UsePreviousTemplate` on updates). */
export function templateBodyOf(ctx: ActionContext, previous?: StackRecord): string {
  const body = ctx.input.str('TemplateBody');
  const url = ctx.input.str('TemplateURL');
  const usePrevious = ctx.input.bool('UsePreviousTemplate') === true;
  const given = [body, url, usePrevious ? 'previous' : undefined].filter((v) => v !== undefined);
  if (given.length === 0) {
    throw validationError('Either Template URL or Template Body must be specified.');
  }
  if (given.length > 1) {
    throw validationError('Specify exactly one of TemplateBody, TemplateURL or UsePreviousTemplate.');
  }
  if (usePrevious) {
    if (!previous) throw validationError('UsePreviousTemplate can only be used with an existing stack.');
    return previous.templateBody;
  }
  if (url !== undefined) {
    throw validationError(
      'TemplateURL is not emulated by the sandbox: pass the template as TemplateBody (see docs/cloudformation.md)',
    );
  }
  return body as string;
}

function givenParameters(ctx: ActionContext): GivenParameter[] {
  return ctx.input.list('Parameters').map((param) => {
    const value = param.str('ParameterValue');
    return {
      key: param.reqStr('ParameterKey'),
      ...(value !== undefined ? { value } : {}),
      usePreviousValue: param.bool('UsePreviousValue') === true,
    };
  });
}

function stackTags(ctx: ActionContext, previous?: StackRecord): CfnTag[] {
  if (!ctx.input.has('Tags')) return previous ? [...previous.tags] : [];
  const tags = ctx.input.tags('Tags');
  if (tags.length > MAX_TAGS) {
    throw validationError(`1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  }
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw validationError(`Invalid tag key "${tag.Key}": the aws: prefix is reserved for AWS use`);
    }
  }
  return tags;
}

/** Reads and checks a stack definition; `previous` is the stack being updated. */
export function readDefinition(ctx: ActionContext, previous?: StackRecord): StackDefinition {
  const templateBody = templateBodyOf(ctx, previous);
  const template = parseTemplate(templateBody);
  const parameters = resolveParameters(template, givenParameters(ctx), previous?.parameters);
  const capabilities = ctx.input.strList('Capabilities');
  enforceCapabilities(template, capabilities);
  const roleArn = ctx.input.str('RoleARN') ?? previous?.roleArn;
  return {
    templateBody,
    template,
    parameters,
    tags: stackTags(ctx, previous),
    capabilities,
    notificationArns: ctx.input.has('NotificationARNs')
      ? ctx.input.strList('NotificationARNs')
      : [...(previous?.notificationArns ?? [])],
    ...(template.Description !== undefined ? { description: template.Description } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
  };
}

/** Checks a `ClientRequestToken`. */
export function requestToken(ctx: ActionContext, name = 'ClientRequestToken'): string | undefined {
  const token = ctx.input.str(name);
  if (token !== undefined && !/^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$/.test(token)) {
    throw validationError(
      `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][-a-zA-Z0-9]*`,
    );
  }
  return token;
}
