// Template bodies → checked templates: size limit, JSON or YAML, structure, references, cycles.
import { templateFormatError, validationError } from '../cfn-errors.js';
import { staticGraph, topologicalOrder } from './dependencies.js';
import { checkTemplateReferences } from './template-references.js';
import { checkTemplateStructure } from './template-structure.js';
import type { Template, TemplateValue } from './template-types.js';
import { parseYamlTemplate } from './yaml-template.js';

/** The largest `TemplateBody` CloudFormation accepts, in bytes. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

function parseJson(body: string): TemplateValue {
  try {
    return JSON.parse(body) as TemplateValue;
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : '';
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : lineAndColumn(body, Number(position));
    throw templateFormatError(`JSON not well-formed.${where}`);
  }
}

/** Parses a template body: JSON when it starts with `{`, YAML otherwise. */
export function parseTemplateValue(
  body: string,
  maxBytes = MAX_TEMPLATE_BODY_BYTES,
): TemplateValue {
  if (Buffer.byteLength(body, 'utf8') > maxBytes) {
    throw validationError(
      maxBytes === MAX_TEMPLATE_BODY_BYTES
        ? `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY_BYTES}`
        : `Template may not exceed ${maxBytes} bytes in size.`,
    );
  }
  if (body.trim() === '') throw templateFormatError('Template body is empty');
  return body.trimStart().startsWith('{') ? parseJson(body) : parseYamlTemplate(body);
}

/** Parses and checks a template body; throws CloudFormation's `ValidationError`s. */
export function parseTemplate(body: string, maxBytes = MAX_TEMPLATE_BODY_BYTES): Template {
  const template = checkTemplateStructure(parseTemplateValue(body, maxBytes));
  checkTemplateReferences(template);
  topologicalOrder(staticGraph(template));
  return template;
}
