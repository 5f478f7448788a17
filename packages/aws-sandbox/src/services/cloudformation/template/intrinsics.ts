// Evaluates intrinsic functions against a scope: parameters, pseudo parameters, conditions,
// mappings, other resources and exports. Values not known yet (planning a change set) are
// `UNKNOWN` and propagate through every function that consumes them.
import { templateError } from '../cfn-errors.js';
import { asFunction, parseSub, splitAttribute } from './functions.js';
import { getAttTarget, subString } from './template-references.js';
import type { Template, TemplateValue } from './template-types.js';

/** A value only known once resources exist (`{{changeSet:KNOWN_AFTER_APPLY}}` in AWS). */
export class KnownAfterApply {
  /** Makes the class nominal: no other value is structurally a KnownAfterApply. */
  private readonly known = false;

  toString(): string {
    return '{{changeSet:KNOWN_AFTER_APPLY}}';
  }
}

/** The one unknown value. */
export const UNKNOWN = new KnownAfterApply();

/** `AWS::NoValue`: removes the property or list item it stands for. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A resolved template value. */
export type Resolved =
  string | number | boolean | null | KnownAfterApply | Resolved[] | { [key: string]: Resolved };

/** What intrinsic functions can see. */
export interface ResolveScope {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  notificationArns: readonly string[];
  template: Template;
  parameters: Readonly<Record<string, string | string[]>>;
  /** A condition's value (conditions may be evaluated lazily). */
  condition(name: string): boolean;
  /** `Ref` of a resource. */
  resourceRef(logicalId: string): string | KnownAfterApply;
  /** `Fn::GetAtt` of a resource. */
  resourceAttribute(logicalId: string, attribute: string): string | KnownAfterApply;
  /** `Fn::ImportValue`. */
  importValue(name: string): string | KnownAfterApply;
}

const JOIN_USAGE =
  'every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.';

function isUnknown(value: unknown): value is KnownAfterApply {
  return value instanceof KnownAfterApply;
}

function containsUnknown(value: Resolved): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object')
    return Object.values(value).some(containsUnknown);
  return false;
}

/** A string from a resolved scalar (numbers and booleans convert, as CloudFormation does). */
function asString(value: Resolved, what: string): string | KnownAfterApply {
  if (isUnknown(value)) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw templateError(`${what} must resolve to a string`);
}

function asList(value: Resolved, what: string): Resolved[] | KnownAfterApply {
  if (isUnknown(value)) return value;
  if (!Array.isArray(value)) throw templateError(`${what} must resolve to a list`);
  return value;
}

function pseudo(name: string, scope: ResolveScope): Resolved | typeof NO_VALUE | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return scope.accountId;
    case 'AWS::Region':
      return scope.region;
    case 'AWS::StackName':
      return scope.stackName;
    case 'AWS::StackId':
      return scope.stackId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NotificationARNs':
      return [...scope.notificationArns];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function ref(name: string, scope: ResolveScope): Resolved | typeof NO_VALUE {
  const fromPseudo = pseudo(name, scope);
  if (fromPseudo !== undefined) return fromPseudo;
  const param = scope.parameters[name];
  if (param !== undefined) return Array.isArray(param) ? [...param] : param;
  return scope.resourceRef(name);
}

function sub(arg: TemplateValue, scope: ResolveScope): Resolved {
  const text = subString(arg);
  if (text === undefined) {
    throw templateError(
      "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
    );
  }
  const locals: Record<string, string | KnownAfterApply> = {};
  if (Array.isArray(arg) && arg.length === 2) {
    const vars = arg[1];
    if (vars === null || vars === undefined || typeof vars !== 'object' || Array.isArray(vars)) {
      throw templateError('the second argument of Fn::Sub must be a map of variables');
    }
    for (const [key, value] of Object.entries(vars)) {
      locals[key] = asString(
        required(resolveValue(value, scope), 'Fn::Sub variable'),
        `Fn::Sub variable ${key}`,
      );
    }
  }
  let out = '';
  let unknown = false;
  for (const part of parseSub(text)) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    let value: Resolved | typeof NO_VALUE;
    const local = locals[part.name];
    if (local !== undefined) {
      value = local;
    } else {
      const split = splitAttribute(part.name);
      value =
        split && Object.hasOwn(scope.template.Resources, split[0])
          ? scope.resourceAttribute(split[0], split[1])
          : ref(part.name, scope);
    }
    if (value === NO_VALUE || Array.isArray(value)) {
      throw templateError(
        `variable ${part.name} in Fn::Sub expression does not resolve to a string`,
      );
    }
    const text2 = asString(value, `variable ${part.name} in Fn::Sub expression`);
    if (isUnknown(text2)) unknown = true;
    else out += text2;
  }
  return unknown ? UNKNOWN : out;
}

function required(value: Resolved | typeof NO_VALUE, what: string): Resolved {
  if (value === NO_VALUE) throw templateError(`${what} cannot be AWS::NoValue`);
  return value;
}

function args(arg: TemplateValue, count: number, usage: string): TemplateValue[] {
  if (!Array.isArray(arg) || arg.length !== count) throw templateError(usage);
  return arg;
}

function condition(value: TemplateValue, scope: ResolveScope, usage: string): boolean {
  const call = asFunction(value);
  if (call?.name === 'Condition' && typeof call.arg === 'string') return scope.condition(call.arg);
  const resolved = resolveValue(value, scope);
  if (typeof resolved !== 'boolean') throw templateError(usage);
  return resolved;
}

function call(name: string, arg: TemplateValue, scope: ResolveScope): Resolved | typeof NO_VALUE {
  switch (name) {
    case 'Ref': {
      if (typeof arg !== 'string')
        throw templateError('every Ref object must have a single String value');
      return ref(arg, scope);
    }
    case 'Condition': {
      if (typeof arg !== 'string') throw templateError('Condition must name a condition');
      return scope.condition(arg);
    }
    case 'Fn::GetAtt': {
      const target = getAttTarget(arg);
      const attribute = asString(
        required(resolveValue(target.attribute, scope), 'Fn::GetAtt attribute'),
        'Fn::GetAtt attribute',
      );
      if (isUnknown(attribute)) return UNKNOWN;
      return scope.resourceAttribute(target.resource, attribute);
    }
    case 'Fn::Sub':
      return sub(arg, scope);
    case 'Fn::Join': {
      const [delimiter, list] = args(arg, 2, JOIN_USAGE);
      if (typeof delimiter !== 'string') throw templateError(JOIN_USAGE);
      const items = asList(
        required(resolveValue(list as TemplateValue, scope), 'Fn::Join'),
        'Fn::Join list',
      );
      if (isUnknown(items)) return UNKNOWN;
      const strings = items.map((item) => asString(item, 'every Fn::Join item'));
      if (strings.some(isUnknown)) return UNKNOWN;
      return strings.join(delimiter);
    }
    case 'Fn::If': {
      const [name2, whenTrue, whenFalse] = args(
        arg,
        3,
        'Fn::If requires a list argument with three elements',
      );
      if (typeof name2 !== 'string') throw templateError('Fn::If requires a condition name');
      return resolveValue((scope.condition(name2) ? whenTrue : whenFalse) as TemplateValue, scope);
    }
    case 'Fn::Equals': {
      const [left, right] = args(arg, 2, 'Fn::Equals requires a list argument with two elements');
      const a = required(resolveValue(left as TemplateValue, scope), 'Fn::Equals');
      const b = required(resolveValue(right as TemplateValue, scope), 'Fn::Equals');
      if (containsUnknown(a) || containsUnknown(b)) {
        throw templateError('Fn::Equals cannot compare values that depend on resources');
      }
      const text = (value: Resolved): string =>
        typeof value === 'string' ? value : JSON.stringify(value);
      return text(a) === text(b);
    }
    case 'Fn::Not': {
      const usage = 'Fn::Not requires a list argument with one function token';
      const [inner] = args(arg, 1, usage);
      return !condition(inner as TemplateValue, scope, usage);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const usage = `${name} requires a list argument with between 2 and 10 conditions`;
      if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) throw templateError(usage);
      const values = arg.map((inner) => condition(inner, scope, usage));
      return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::Select': {
      const usage = 'Fn::Select requires a list argument with two elements: an index and a list';
      const [index, list] = args(arg, 2, usage);
      const position = required(resolveValue(index as TemplateValue, scope), 'Fn::Select index');
      const items = asList(
        required(resolveValue(list as TemplateValue, scope), 'Fn::Select'),
        'Fn::Select list',
      );
      if (isUnknown(position) || isUnknown(items)) return UNKNOWN;
      const at = Number(position);
      if (!Number.isInteger(at) || at < 0) throw templateError(usage);
      if (at >= items.length) {
        throw templateError(`Fn::Select cannot select nonexistent value at index ${at}`);
      }
      return items[at] as Resolved;
    }
    case 'Fn::Split': {
      const usage =
        'Fn::Split requires a list argument with two elements: a delimiter and a string';
      const [delimiter, source] = args(arg, 2, usage);
      if (typeof delimiter !== 'string' || delimiter === '') throw templateError(usage);
      const text = asString(
        required(resolveValue(source as TemplateValue, scope), 'Fn::Split'),
        'Fn::Split source',
      );
      if (isUnknown(text)) return UNKNOWN;
      return text.split(delimiter);
    }
    case 'Fn::ImportValue': {
      const exportName = asString(
        required(resolveValue(arg, scope), 'Fn::ImportValue'),
        'Fn::ImportValue',
      );
      if (isUnknown(exportName)) return UNKNOWN;
      return scope.importValue(exportName);
    }
    case 'Fn::GetAZs': {
      const region = asString(required(resolveValue(arg, scope), 'Fn::GetAZs'), 'Fn::GetAZs');
      if (isUnknown(region)) return UNKNOWN;
      const name2 = region === '' ? scope.region : region;
      return ['a', 'b', 'c'].map((zone) => `${name2}${zone}`);
    }
    case 'Fn::Base64': {
      const text = asString(required(resolveValue(arg, scope), 'Fn::Base64'), 'Fn::Base64');
      if (isUnknown(text)) return UNKNOWN;
      return Buffer.from(text, 'utf8').toString('base64');
    }
    case 'Fn::FindInMap': {
      const usage = 'Fn::FindInMap requires a list argument with three elements';
      const keys = args(arg, 3, usage).map((key) =>
        asString(required(resolveValue(key, scope), 'Fn::FindInMap'), 'Fn::FindInMap key'),
      );
      if (keys.some(isUnknown)) return UNKNOWN;
      const [map, top, second] = keys as string[];
      const value = scope.template.Mappings[map as string]?.[top as string]?.[second as string];
      if (value === undefined) {
        throw templateError(`Unable to get mapping for ${map}::${top}::${second}`);
      }
      return resolveValue(value, scope);
    }
    default:
      throw templateError(`Encountered unsupported function: ${name}`);
  }
}

/**
 * Resolves every intrinsic function in `value`. `AWS::NoValue` removes object keys and list
 * items; at the top it returns {@link NO_VALUE}.
 */
export function resolveValue(
  value: TemplateValue,
  scope: ResolveScope,
): Resolved | typeof NO_VALUE {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: Resolved[] = [];
    for (const item of value) {
      const resolved = resolveValue(item, scope);
      if (resolved !== NO_VALUE) out.push(resolved);
    }
    return out;
  }
  const fn = asFunction(value);
  if (fn && fn.name !== 'Condition') return call(fn.name, fn.arg, scope);
  const out: Record<string, Resolved> = {};
  for (const [key, child] of Object.entries(value)) {
    const resolved = resolveValue(child, scope);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** Resolves a condition expression of the Conditions section. */
export function resolveCondition(value: TemplateValue, scope: ResolveScope, name: string): boolean {
  return condition(value, scope, `Condition ${name} must evaluate to a boolean`);
}

/** Whether a resolved value (deeply) holds anything not known yet. */
export function hasUnknown(value: Resolved): boolean {
  return containsUnknown(value);
}
