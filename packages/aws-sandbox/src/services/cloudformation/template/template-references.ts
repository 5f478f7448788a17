// Static checks of what a template refers to: Ref/GetAtt/Sub targets, conditions, DependsOn and
// function names — the errors CloudFormation returns before it starts any work.
import { templateError, templateFormatError } from '../cfn-errors.js';
import {
  asFunction,
  parseSub,
  PSEUDO_PARAMETERS,
  splitAttribute,
  SUPPORTED_FUNCTIONS,
} from './functions.js';
import type { Template, TemplateValue } from './template-types.js';

const SUPPORTED = new Set<string>(SUPPORTED_FUNCTIONS);

/** A function call met while walking a value, with the `Fn::Sub` locals in scope. */
export interface VisitedCall {
  name: string;
  arg: TemplateValue;
  locals: ReadonlySet<string>;
}

/**
 * Calls `visit` for every function call in `value`, depth first. `Condition` is a function only
 * inside the Conditions section (`inConditions`).
 */
export function visitCalls(
  value: TemplateValue,
  visit: (call: VisitedCall) => void,
  inConditions = false,
  locals: ReadonlySet<string> = new Set(),
): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) visitCalls(item, visit, inConditions, locals);
    return;
  }
  const call = asFunction(value);
  if (call && (call.name !== 'Condition' || inConditions)) {
    let inner = locals;
    if (call.name === 'Fn::Sub' && Array.isArray(call.arg) && call.arg.length === 2) {
      const vars = call.arg[1];
      if (vars !== null && typeof vars === 'object' && !Array.isArray(vars)) {
        inner = new Set([...locals, ...Object.keys(vars)]);
        for (const local of Object.values(vars)) visitCalls(local, visit, inConditions, locals);
      }
      visit({ name: call.name, arg: call.arg, locals: inner });
      return;
    }
    visit({ name: call.name, arg: call.arg, locals });
    visitCalls(call.arg, visit, inConditions, locals);
    return;
  }
  for (const child of Object.values(value)) visitCalls(child, visit, inConditions, locals);
}

/** The `Fn::Sub` string of a call (either form). */
export function subString(arg: TemplateValue): string | undefined {
  if (typeof arg === 'string') return arg;
  if (Array.isArray(arg) && typeof arg[0] === 'string') return arg[0];
  return undefined;
}

/** `[resource, attribute]` of a `Fn::GetAtt` argument (attribute may be computed). */
export function getAttTarget(arg: TemplateValue): { resource: string; attribute: TemplateValue } {
  if (typeof arg === 'string') {
    const split = splitAttribute(arg);
    if (split) return { resource: split[0], attribute: split[1] };
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
    return { resource: arg[0], attribute: arg[1] as TemplateValue };
  }
  throw templateError(
    'every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute',
  );
}

interface Unresolved {
  refs: Set<string>;
}

function checkCalls(
  template: Template,
  value: TemplateValue,
  block: 'Resources' | 'Outputs' | 'Conditions',
  unresolved: Unresolved,
): void {
  const isKnownRef = (name: string): boolean =>
    PSEUDO_PARAMETERS.has(name) ||
    Object.hasOwn(template.Parameters, name) ||
    (block !== 'Conditions' && Object.hasOwn(template.Resources, name));
  visitCalls(
    value,
    (call) => {
      if (!SUPPORTED.has(call.name)) {
        throw templateFormatError(
          `Encountered unsupported function: ${call.name} Supported functions are: [${SUPPORTED_FUNCTIONS.filter((n) => n !== 'Condition').join(', ')}]`,
        );
      }
      switch (call.name) {
        case 'Ref': {
          if (typeof call.arg !== 'string') {
            throw templateFormatError('Every Ref object must have a single String value.');
          }
          if (!isKnownRef(call.arg)) unresolved.refs.add(call.arg);
          break;
        }
        case 'Fn::GetAtt': {
          if (block === 'Conditions') {
            throw templateFormatError(
              'Fn::GetAtt cannot be used in the Conditions block of the template',
            );
          }
          const { resource } = getAttTarget(call.arg);
          if (!Object.hasOwn(template.Resources, resource)) {
            throw templateError(`instance of Fn::GetAtt references undefined resource ${resource}`);
          }
          break;
        }
        case 'Fn::Sub': {
          const text = subString(call.arg);
          if (text === undefined) {
            throw templateError(
              "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
            );
          }
          for (const part of parseSub(text)) {
            if (part.kind !== 'var' || call.locals.has(part.name)) continue;
            const split = splitAttribute(part.name);
            if (split && block !== 'Conditions' && Object.hasOwn(template.Resources, split[0])) {
              continue;
            }
            if (!isKnownRef(part.name)) unresolved.refs.add(part.name);
          }
          break;
        }
        case 'Fn::If': {
          const name = Array.isArray(call.arg) ? call.arg[0] : undefined;
          if (!Array.isArray(call.arg) || call.arg.length !== 3 || typeof name !== 'string') {
            throw templateError(
              'Fn::If requires a list argument with three elements: a condition name and two values',
            );
          }
          if (!Object.hasOwn(template.Conditions, name)) {
            throw templateError(`unresolved condition dependency ${name} in Fn::If`);
          }
          break;
        }
        case 'Condition': {
          if (typeof call.arg !== 'string' || !Object.hasOwn(template.Conditions, call.arg)) {
            throw templateError(
              `unresolved condition dependency ${JSON.stringify(call.arg)} in Condition`,
            );
          }
          break;
        }
        default:
          break;
      }
    },
    block === 'Conditions',
  );
}

function failUnresolved(block: 'Resources' | 'Outputs' | 'Conditions', refs: Set<string>): void {
  if (refs.size === 0) return;
  const list = [...refs].join(', ');
  if (block === 'Conditions') {
    throw templateFormatError(
      `Unresolved dependencies [${list}]. Cannot reference resources in the Conditions block of the template`,
    );
  }
  throw templateFormatError(
    `Unresolved resource dependencies [${list}] in the ${block} block of the template`,
  );
}

/** Runs every static reference check; throws the first `ValidationError`. */
export function checkTemplateReferences(template: Template): void {
  const conditions: Unresolved = { refs: new Set() };
  for (const value of Object.values(template.Conditions)) {
    checkCalls(template, value, 'Conditions', conditions);
  }
  failUnresolved('Conditions', conditions.refs);
  const resources: Unresolved = { refs: new Set() };
  for (const [id, decl] of Object.entries(template.Resources)) {
    if (decl.Condition !== undefined && !Object.hasOwn(template.Conditions, decl.Condition)) {
      throw templateFormatError(
        `Unresolved dependencies [${decl.Condition}]. Cannot find condition ${decl.Condition} of resource ${id}`,
      );
    }
    for (const dep of decl.DependsOn) {
      if (!Object.hasOwn(template.Resources, dep)) resources.refs.add(dep);
    }
    checkCalls(template, decl.Properties, 'Resources', resources);
  }
  failUnresolved('Resources', resources.refs);
  const outputs: Unresolved = { refs: new Set() };
  for (const [key, decl] of Object.entries(template.Outputs)) {
    if (decl.Condition !== undefined && !Object.hasOwn(template.Conditions, decl.Condition)) {
      throw templateFormatError(
        `Unresolved dependencies [${decl.Condition}]. Cannot find condition ${decl.Condition} of output ${key}`,
      );
    }
    checkCalls(
      template,
      [decl.Value, decl.Description ?? null, decl.ExportName ?? null],
      'Outputs',
      outputs,
    );
  }
  failUnresolved('Outputs', outputs.refs);
}
