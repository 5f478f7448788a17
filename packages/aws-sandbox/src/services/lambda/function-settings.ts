// Reading and validating a function's configuration (CreateFunction, UpdateFunctionConfiguration)
// with Lambda's constraints and messages.
import type { Input } from '../../framework/input.js';
import { invalidParameter, validation } from './lambda-errors.js';
import type { FunctionSettings } from './lambda-state.js';

/** Runtimes Lambda accepts for new functions and updates. */
export const SUPPORTED_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'java8.al2',
  'java11',
  'java17',
  'java21',
  'java25',
  'dotnet8',
  'dotnet10',
  'ruby3.2',
  'ruby3.3',
  'ruby3.4',
  'provided.al2',
  'provided.al2023',
]);

/** Runtimes the API still names but no longer accepts for creates and updates. */
const DEPRECATED_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs',
  'nodejs4.3',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
  'python3.9',
  'java8',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet6',
  'go1.x',
  'ruby2.5',
  'ruby2.7',
  'provided',
]);

/** Variables Lambda sets itself; a function may not define them. */
const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_RUNTIME_API',
  'AWS_REGION',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'LAMBDA_RUNTIME_DIR',
  'LAMBDA_TASK_ROOT',
]);

const ROLE = /^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/;

/** The settings of a new function before any input. */
export const DEFAULT_SETTINGS: Omit<FunctionSettings, 'role'> = {
  description: '',
  timeout: 3,
  memorySize: 128,
  environment: {},
  architectures: ['x86_64'],
  ephemeralStorage: 512,
};

function checkRuntime(runtime: string): void {
  if (SUPPORTED_RUNTIMES.has(runtime)) return;
  if (DEPRECATED_RUNTIMES.has(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or upgrading functions.`,
    );
  }
  throw validation(
    'runtime',
    runtime,
    `Member must satisfy enum value set: [${[...SUPPORTED_RUNTIMES].join(', ')}]`,
  );
}

function range(member: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (value < min)
    throw validation(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw validation(member, value, `Member must have value less than or equal to ${max}`);
}

/** `Environment.Variables`, validated (names, reserved keys, the 4 KB limit). */
function readEnvironment(input: Input): Record<string, string> {
  const variables = input.obj('Environment')?.obj('Variables');
  if (!variables) return {};
  const out: Record<string, string> = {};
  let size = 0;
  const reserved: string[] = [];
  for (const name of Object.keys(variables.raw)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(name)) {
      throw validation(
        'environment.variables',
        name,
        'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+',
      );
    }
    if (RESERVED_VARIABLES.has(name)) reserved.push(name);
    const value = variables.str(name) ?? '';
    Object.defineProperty(out, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  if (size > 4096) {
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ' +
        JSON.stringify(out),
    );
  }
  return out;
}

/**
 * The settings after a create (`base` undefined) or a configuration update (`base` = current):
 * members the input sets replace the base's; `Environment` replaces every variable.
 */
export function readSettings(
  input: Input,
  base: FunctionSettings | undefined,
  packageType: 'Zip' | 'Image',
): FunctionSettings {
  const role = input.str('Role') ?? base?.role;
  if (role === undefined) throw validation('role', undefined, 'Member must not be null');
  if (!ROLE.test(role)) {
    throw validation(
      'role',
      role,
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
    );
  }
  const timeout = input.int('Timeout');
  const memorySize = input.int('MemorySize');
  range('timeout', timeout, 1, 900);
  range('memorySize', memorySize, 128, 10240);
  const description = input.str('Description');
  if (description !== undefined && description.length > 256) {
    throw validation(
      'description',
      description,
      'Member must have length less than or equal to 256',
    );
  }
  const handler = input.str('Handler') ?? base?.handler;
  if (handler !== undefined && (handler.length > 128 || !/^[^\s]+$/.test(handler))) {
    throw validation('handler', handler, 'Member must satisfy regular expression pattern: [^\\s]+');
  }
  const runtime = input.str('Runtime') ?? base?.runtime;
  if (input.has('Runtime')) checkRuntime(input.reqStr('Runtime'));
  if (packageType === 'Zip' && (runtime === undefined || handler === undefined)) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  if (packageType === 'Image' && (input.has('Runtime') || input.has('Handler'))) {
    throw invalidParameter(
      'Please do not provide Runtime or Handler for functions created with container images.',
    );
  }
  const architectures = input.has('Architectures')
    ? input.strList('Architectures')
    : (base?.architectures ?? DEFAULT_SETTINGS.architectures);
  if (architectures.length !== 1 || !['x86_64', 'arm64'].includes(architectures[0] ?? '')) {
    throw validation(
      'architectures',
      architectures.join(','),
      'Member must have length less than or equal to 1, and each member must satisfy enum value set: [x86_64, arm64]',
    );
  }
  const ephemeralStorage = input.obj('EphemeralStorage')?.int('Size');
  range('ephemeralStorage.size', ephemeralStorage, 512, 10240);
  return {
    role,
    ...(runtime !== undefined && packageType === 'Zip' ? { runtime } : {}),
    ...(handler !== undefined && packageType === 'Zip' ? { handler } : {}),
    description: description ?? base?.description ?? DEFAULT_SETTINGS.description,
    timeout: timeout ?? base?.timeout ?? DEFAULT_SETTINGS.timeout,
    memorySize: memorySize ?? base?.memorySize ?? DEFAULT_SETTINGS.memorySize,
    environment: input.has('Environment')
      ? readEnvironment(input)
      : { ...(base?.environment ?? DEFAULT_SETTINGS.environment) },
    architectures: [...architectures],
    ephemeralStorage:
      ephemeralStorage ?? base?.ephemeralStorage ?? DEFAULT_SETTINGS.ephemeralStorage,
  };
}
