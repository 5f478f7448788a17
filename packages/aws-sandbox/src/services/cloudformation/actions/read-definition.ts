// Reads what a create, update or change set call asks for: the template (body, or the previous
// one), parameters, capabilities, tags and options — every check CloudFormation makes up front.
import type { ActionContext } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';
import type { CfnTag, StackRecord } from '../cfn-state.js';
import type { StackDefinition } from '../engine/stack-definition.js';
import { enforceCapabilities } from '../template/capabilities.js';
import { resolveParameters, type GivenParameter } from '../template/parameters.js';
import { MAX_TEMPLATE_BODY_BYTES, parseTemplate } from '../template/parse-template.js';
import { fetchTemplate, MAX_TEMPLATE_URL_BYTES } from './template-url.js';

const MAX_TAGS = 50;

/** A template body and where it came from (bodies fetched from S3 may be larger). */
export interface TemplateSource {
  body: string;
  maxBytes: number;
}

/**
 * The template a call names: `TemplateBody`, `TemplateURL` (read from the emulated S3), or
 * `UsePreviousTemplate` on updates.
 */
export async function templateSourceOf(
  ctx: ActionContext,
  previous?: StackRecord,
): Promise<TemplateSource> {
  const body = ctx.input.str('TemplateBody');
  const url = ctx.input.str('TemplateURL');
  const usePrevious = ctx.input.bool('UsePreviousTemplate') === true;
  const given = [body, url, usePrevious ? 'previous' : undefined].filter((v) => v !== undefined);
  if (given.length === 0) {
    throw validationError('Either Template URL or Template Body must be specified.');
  }
  if (given.length > 1) {
    throw validationError(
      'Specify exactly one of TemplateBody, TemplateURL or UsePreviousTemplate.',
    );
  }
  if (usePrevious) {
    if (!previous) {
      throw validationError('UsePreviousTemplate can only be used with an existing stack.');
    }
    return { body: previous.templateBody, maxBytes: MAX_TEMPLATE_URL_BYTES };
  }
  if (url !== undefined) {
    return { body: await fetchTemplate(ctx, url), maxBytes: MAX_TEMPLATE_URL_BYTES };
  }
  return { body: body as string, maxBytes: MAX_TEMPLATE_BODY_BYTES };
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
    throw validationError(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`,
    );
  }
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw validationError(
        `Invalid tag key "${tag.Key}": the aws: prefix is reserved for AWS use`,
      );
    }
  }
  return tags;
}

/** Reads and checks a stack definition; `previous` is the stack being updated. */
export async function readDefinition(
  ctx: ActionContext,
  previous?: StackRecord,
): Promise<StackDefinition> {
  const source = await templateSourceOf(ctx, previous);
  const templateBody = source.body;
  const template = parseTemplate(templateBody, source.maxBytes);
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
