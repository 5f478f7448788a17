// CAPABILITY_IAM / CAPABILITY_NAMED_IAM: which templates need them, and their enforcement.
import { insufficientCapabilities, validationError } from '../cfn-errors.js';
import type { Template } from './template-types.js';

/** IAM resource types that need `CAPABILITY_IAM`, with the property that makes them named. */
const IAM_TYPES: Record<string, string | undefined> = {
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::UserToGroupAddition': undefined,
};

const KNOWN = ['CAPABILITY_AUTO_EXPAND', 'CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'];

/** What a template requires, as `ValidateTemplate` reports it. */
export interface RequiredCapabilities {
  capabilities: ('CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM')[];
  /** `The following resource(s) require capabilities: [AWS::IAM::Role]`, when any. */
  reason?: string;
}

/** The capabilities a template needs. */
export function requiredCapabilities(template: Template): RequiredCapabilities {
  const types = new Set<string>();
  let named = false;
  for (const decl of Object.values(template.Resources)) {
    if (!Object.hasOwn(IAM_TYPES, decl.Type)) continue;
    types.add(decl.Type);
    const nameProperty = IAM_TYPES[decl.Type];
    if (nameProperty !== undefined && decl.Properties[nameProperty] !== undefined) named = true;
  }
  if (types.size === 0) return { capabilities: [] };
  return {
    capabilities: [named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'],
    reason: `The following resource(s) require capabilities: [${[...types].join(', ')}]`,
  };
}

/** Checks the given capabilities' names. */
export function checkCapabilityNames(given: readonly string[]): void {
  const bad = given.filter((name) => !KNOWN.includes(name));
  if (bad.length > 0) {
    throw validationError(
      `1 validation error detected: Value '[${bad.join(', ')}]' at 'capabilities' failed to satisfy constraint: ` +
        `Member must satisfy constraint: [Member must satisfy enum value set: [${KNOWN.join(', ')}]]`,
    );
  }
}

/** Throws `InsufficientCapabilitiesException` when the template needs more than `given`. */
export function enforceCapabilities(template: Template, given: readonly string[]): void {
  checkCapabilityNames(given);
  const [needed] = requiredCapabilities(template).capabilities;
  if (needed === undefined) return;
  if (given.includes('CAPABILITY_NAMED_IAM')) return;
  if (needed === 'CAPABILITY_IAM' && given.includes('CAPABILITY_IAM')) return;
  throw insufficientCapabilities(`Requires capabilities : [${needed}]`);
}
