// Reading CloudWatch parameters the same way from JSON and query requests: doubles and timestamps
// arrive as numbers (JSON) or strings (query), enums and lengths fail as CloudWatch's model does.
import type { Input, InputValue } from '../../framework/input.js';
import { invalidParameterValue, missingParameter, validationError } from './cloudwatch-errors.js';
import type { Dimension } from './cloudwatch-state.js';

/** The five simple statistics. */
export const SIMPLE_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

/** The units CloudWatch knows. */
export const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/** `p0`…`p100`, with up to two decimals (`p99.9`). */
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)$/;

/** Whether a statistic name is a percentile the sandbox computes. */
export function isPercentile(stat: string): boolean {
  return PERCENTILE.test(stat);
}

/** The model's member name in validation messages: `comparisonOperator` for `ComparisonOperator`. */
function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A required string, failing with `MissingParameter`. */
export function requiredString(input: Input, name: string): string {
  const value = input.str(name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** Fails with `ValidationError` when a string is outside `[min, max]` characters. */
export function checkLength(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (value.length < min) {
    throw validationError(
      `1 validation error detected: Value at '${memberName(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
    );
  }
  if (value.length > max) {
    throw validationError(
      `1 validation error detected: Value at '${memberName(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
}

/** An optional enum member, failing with `ValidationError` like the model's enum constraint. */
export function enumValue<T extends string>(
  input: Input,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = input.str(name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/** An optional integer within a range, failing with `ValidationError`. */
export function intInRange(
  input: Input,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input.int(name);
  if (value === undefined) return undefined;
  if (value < min || value > max) {
    const bound = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
    throw validationError(
      `1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  return value;
}

/** A double from a JSON number or a query string; NaN and infinities are refused. */
export function doubleValue(value: InputValue | undefined, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if ((typeof value === 'string' && value.trim() === '') || !Number.isFinite(num)) {
    throw invalidParameterValue(
      `The value ${JSON.stringify(value)} for parameter ${name} is invalid.`,
    );
  }
  return num;
}

/** An optional double parameter. */
export function doubleParam(input: Input, name: string): number | undefined {
  return doubleValue(input.raw[name], name);
}

/**
 * An optional timestamp: epoch seconds (JSON numbers, or numeric query strings) or ISO 8601.
 */
export function timestampParam(input: Input, name: string): Date | undefined {
  const value = input.raw[name];
  if (value === undefined || value === null) return undefined;
  let millis = NaN;
  if (typeof value === 'number') millis = value * 1000;
  else if (typeof value === 'string') {
    millis = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  }
  if (!Number.isFinite(millis)) {
    throw invalidParameterValue(`The parameter ${name} must be a valid timestamp.`);
  }
  return new Date(millis);
}

/** A required timestamp. */
export function requiredTimestamp(input: Input, name: string): Date {
  const value = timestampParam(input, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

/** A `Dimensions` list: at most `max`, names and values of 1–255 characters, no repeated name. */
export function dimensionsParam(input: Input, name = 'Dimensions', max = 30): Dimension[] {
  const list = input.list(name);
  if (list.length > max) {
    throw invalidParameterValue(`The collection ${name} must not have a size greater than ${max}.`);
  }
  const seen = new Set<string>();
  return list.map((item) => {
    const dimension = { Name: requiredString(item, 'Name'), Value: requiredString(item, 'Value') };
    checkLength('Name', dimension.Name, 1, 255);
    checkLength('Value', dimension.Value, 1, 1024);
    if (seen.has(dimension.Name)) {
      throw invalidParameterValue(`No metric may have two dimensions named ${dimension.Name}.`);
    }
    seen.add(dimension.Name);
    return dimension;
  });
}

/** A statistic for `Stat`: a simple one or a percentile, the ones the sandbox computes. */
export function checkStat(stat: string, name = 'Stat'): void {
  if ((SIMPLE_STATISTICS as readonly string[]).includes(stat) || isPercentile(stat)) return;
  throw invalidParameterValue(
    `The value ${stat} for parameter ${name} is not supported: the sandbox computes SampleCount, Average, Sum, Minimum, Maximum and percentiles (p0 to p100).`,
  );
}

/** A period: 1, 5, 10, 20, 30 or a multiple of 60 seconds. */
export function checkPeriod(period: number, name = 'Period'): void {
  if ([1, 5, 10, 20, 30].includes(period) || (period > 0 && period % 60 === 0)) return;
  throw invalidParameterValue(
    `The parameter ${name} must be 1, 5, 10, 20, 30 or a multiple of 60 (got ${period}).`,
  );
}
