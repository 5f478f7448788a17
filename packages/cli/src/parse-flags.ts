/** Flag parsing on node:util parseArgs, with mistakes turned into UsageErrors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseFlags(
  command: string,
  argv: readonly string[],
  options: FlagSpec,
  maxPositionals = Infinity,
): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > maxPositionals) {
      throw new UsageError(`unexpected argument "${positionals[maxPositionals] ?? ''}"`, command);
    }
    return { values: values, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message =
      error instanceof Error
        ? error.message.replace(/\. To specify a positional argument.*$/s, '')
        : String(error);
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), command);
  }
}

/** Reads a flag that must be one of `choices`. */
export function choice<T extends string>(
  command: string,
  flag: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value))
    return value as T;
  throw new UsageError(
    `--${flag} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`,
    command,
  );
}
