// Checks the sections of a parsed template and normalizes them into a `Template`.
import { templateFormatError } from '../cfn-errors.js';
import type {
  OutputDeclaration,
  ParameterDeclaration,
  ResourceDeclaration,
  Template,
  TemplateValue,
} from './template-types.js';

const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
]);

const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
]);

const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);

/** AWS's template quotas. */
export const TEMPLATE_LIMITS = { resources: 500, parameters: 200, outputs: 200, mappings: 200 };

const ALPHANUMERIC = /^[A-Za-z0-9]+$/;

type JsonObject = { [key: string]: TemplateValue };

function isObject(value: TemplateValue | undefined): value is JsonObject {
  return (
    value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)
  );
}

function section(raw: JsonObject, name: string): JsonObject {
  const value = raw[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw templateFormatError(`${name} section must be an object`);
  return value;
}

function scalarString(value: TemplateValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function optionalNumber(decl: JsonObject, key: string, name: string): number | undefined {
  const value = decl[key];
  if (value === undefined || value === null) return undefined;
  const num = typeof value === 'number' ? value : Number(scalarString(value));
  if (!Number.isFinite(num)) {
    throw templateFormatError(`Parameter '${name}' ${key} must be a number`);
  }
  return num;
}

/** Parameter types the sandbox accepts (AWS-specific ones are plain strings here). */
export function isSupportedParameterType(type: string): boolean {
  if (['String', 'Number', 'List<Number>', 'CommaDelimitedList'].includes(type)) return true;
  if (type === 'AWS::SSM::Parameter::Name') return true;
  if (type.startsWith('AWS::SSM::Parameter::Value<')) return false;
  return /^(List<)?AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+>?$/.test(type);
}

function parameter(name: string, value: TemplateValue): ParameterDeclaration {
  if (!ALPHANUMERIC.test(name)) {
    throw templateFormatError(`Parameter name ${name} is non alphanumeric.`);
  }
  if (!isObject(value) || typeof value['Type'] !== 'string') {
    throw templateFormatError('Every Parameters object must contain a Type member.');
  }
  const type = value['Type'];
  if (type.startsWith('AWS::SSM::Parameter::Value<')) {
    throw templateFormatError(
      `Parameter '${name}' has type ${type}: SSM parameter types are not emulated by the sandbox; see docs/cloudformation.md`,
    );
  }
  if (!isSupportedParameterType(type)) {
    throw templateFormatError(`Unrecognized parameter type: ${type}`);
  }
  const allowed = value['AllowedValues'];
  if (allowed !== undefined && !Array.isArray(allowed)) {
    throw templateFormatError(`Parameter '${name}' AllowedValues must be a list`);
  }
  const defaultValue = Array.isArray(value['Default'])
    ? value['Default'].map((item) => scalarString(item) ?? '').join(',')
    : scalarString(value['Default']);
  const noEcho = value['NoEcho'];
  const decl: ParameterDeclaration = {
    Type: type,
    NoEcho: noEcho === true || noEcho === 'true',
  };
  if (defaultValue !== undefined) decl.Default = defaultValue;
  if (allowed !== undefined) decl.AllowedValues = allowed.map((item) => scalarString(item) ?? '');
  const pattern = scalarString(value['AllowedPattern']);
  if (pattern !== undefined) decl.AllowedPattern = pattern;
  const description = scalarString(value['Description']);
  if (description !== undefined) decl.Description = description;
  const constraint = scalarString(value['ConstraintDescription']);
  if (constraint !== undefined) decl.ConstraintDescription = constraint;
  for (const key of ['MinLength', 'MaxLength', 'MinValue', 'MaxValue'] as const) {
    const num = optionalNumber(value, key, name);
    if (num !== undefined) decl[key] = num;
  }
  return decl;
}

function dependsOn(id: string, value: TemplateValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') {
      throw templateFormatError(
        `DependsOn of resource ${id} must be a string or a list of strings`,
      );
    }
    return item;
  });
}

function resource(id: string, value: TemplateValue): ResourceDeclaration {
  if (!ALPHANUMERIC.test(id)) throw templateFormatError(`Resource name ${id} is non alphanumeric.`);
  if (!isObject(value) || value['Type'] === undefined) {
    throw templateFormatError('Every Resources object must contain a Type member.');
  }
  const type = value['Type'];
  if (typeof type !== 'string' || type === '') {
    throw templateFormatError(`Resource ${id} has an invalid Type`);
  }
  for (const key of Object.keys(value)) {
    if (!RESOURCE_ATTRIBUTES.has(key)) {
      throw templateFormatError(`Invalid template resource property '${key}'`);
    }
  }
  const properties = value['Properties'];
  if (properties !== undefined && properties !== null && !isObject(properties)) {
    throw templateFormatError(`[/Resources/${id}/Properties] must be an object`);
  }
  const decl: ResourceDeclaration = {
    Type: type,
    Properties: properties ?? {},
    DependsOn: dependsOn(id, value['DependsOn']),
  };
  const condition = value['Condition'];
  if (condition !== undefined) {
    if (typeof condition !== 'string') {
      throw templateFormatError(`Condition of resource ${id} must be a string`);
    }
    decl.Condition = condition;
  }
  for (const key of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
    const policy = value[key];
    if (policy === undefined) continue;
    if (typeof policy !== 'string' || !DELETION_POLICIES.has(policy)) {
      throw templateFormatError(
        `Unrecognized ${key} ${JSON.stringify(policy)} for resource ${id}; expected Delete, Retain, RetainExceptOnCreate or Snapshot`,
      );
    }
    decl[key] = policy;
  }
  return decl;
}

function output(key: string, value: TemplateValue): OutputDeclaration {
  if (!ALPHANUMERIC.test(key)) throw templateFormatError(`Output name ${key} is non alphanumeric.`);
  if (!isObject(value) || value['Value'] === undefined) {
    throw templateFormatError(`Every Outputs member must contain a Value object (${key})`);
  }
  const decl: OutputDeclaration = { Value: value['Value'] };
  if (value['Description'] !== undefined) decl.Description = value['Description'];
  const exported = value['Export'];
  if (exported !== undefined) {
    if (!isObject(exported) || exported['Name'] === undefined) {
      throw templateFormatError(
        `Output ${key} is malformed. The Name field of Export must not be empty`,
      );
    }
    decl.ExportName = exported['Name'];
  }
  const condition = value['Condition'];
  if (condition !== undefined) {
    if (typeof condition !== 'string') {
      throw templateFormatError(`Condition of output ${key} must be a string`);
    }
    decl.Condition = condition;
  }
  return decl;
}

function mappings(raw: JsonObject): Template['Mappings'] {
  const out: Template['Mappings'] = {};
  for (const [name, map] of Object.entries(section(raw, 'Mappings'))) {
    if (!isObject(map)) throw templateFormatError(`Mappings attribute ${name} must be a map`);
    const top: Record<string, Record<string, TemplateValue>> = {};
    for (const [key, second] of Object.entries(map)) {
      if (!isObject(second)) {
        throw templateFormatError(`Mapping ${name} key ${key} must be a map of second-level keys`);
      }
      top[key] = second;
    }
    out[name] = top;
  }
  return out;
}

/** Checks the structure of a parsed template and returns it normalized. */
export function checkTemplateStructure(raw: TemplateValue): Template {
  if (!isObject(raw)) throw templateFormatError('Template must be a JSON or YAML object');
  const unknown = Object.keys(raw).filter((key) => !TOP_LEVEL.has(key));
  if (unknown.length > 0) {
    throw templateFormatError(`Invalid template property or properties [${unknown.join(', ')}]`);
  }
  const version = raw['AWSTemplateFormatVersion'];
  if (version !== undefined && version !== '2010-09-09') {
    throw templateFormatError(`Unsupported template version: ${String(scalarString(version))}`);
  }
  if (raw['Transform'] !== undefined) {
    throw templateFormatError(
      'Transforms (macros, AWS::Serverless, AWS::LanguageExtensions) are not emulated by the sandbox; see docs/cloudformation.md',
    );
  }
  const resources = section(raw, 'Resources');
  const resourceIds = Object.keys(resources);
  if (resourceIds.length === 0) {
    throw templateFormatError('At least one Resources member must be defined.');
  }
  if (resourceIds.length > TEMPLATE_LIMITS.resources) {
    throw templateFormatError(
      `Number of resources, ${resourceIds.length}, is greater than maximum allowed, ${TEMPLATE_LIMITS.resources}`,
    );
  }
  const params = section(raw, 'Parameters');
  if (Object.keys(params).length > TEMPLATE_LIMITS.parameters) {
    throw templateFormatError(
      `Number of parameters, ${Object.keys(params).length}, is greater than maximum allowed, ${TEMPLATE_LIMITS.parameters}`,
    );
  }
  const outputs = section(raw, 'Outputs');
  if (Object.keys(outputs).length > TEMPLATE_LIMITS.outputs) {
    throw templateFormatError(
      `Number of outputs, ${Object.keys(outputs).length}, is greater than maximum allowed, ${TEMPLATE_LIMITS.outputs}`,
    );
  }
  const maps = mappings(raw);
  if (Object.keys(maps).length > TEMPLATE_LIMITS.mappings) {
    throw templateFormatError(
      `Number of mappings, ${Object.keys(maps).length}, is greater than maximum allowed, ${TEMPLATE_LIMITS.mappings}`,
    );
  }
  const template: Template = {
    Parameters: Object.fromEntries(
      Object.entries(params).map(([name, value]) => [name, parameter(name, value)]),
    ),
    Mappings: maps,
    Conditions: section(raw, 'Conditions'),
    Resources: Object.fromEntries(
      Object.entries(resources).map(([id, value]) => [id, resource(id, value)]),
    ),
    Outputs: Object.fromEntries(
      Object.entries(outputs).map(([key, value]) => [key, output(key, value)]),
    ),
  };
  const description = raw['Description'];
  if (description !== undefined) {
    if (typeof description !== 'string') throw templateFormatError('Description must be a string');
    template.Description = description;
  }
  return template;
}
