// Typed access to an action's parameters, the same for every protocol (query forms become trees).
import { CommonError } from './aws-error.js';

/** A JSON-like value as parsed from a request. */
export type InputValue =
  string | number | boolean | null | InputValue[] | { [key: string]: InputValue };

/**
 * The parameters of one call. Query protocols are normalised into the same tree JSON protocols
 * produce (`Tags.member.1.Key` → `{ Tags: [{ Key }] }`), so handlers never see the wire form.
 * Getters throw the protocol's `MissingParameter` / `InvalidParameter` errors.
 */
export class Input {
  constructor(readonly raw: Record<string, InputValue>) {}

  /** Whether the parameter is present. */
  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  /** An optional string parameter. */
  str(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new CommonError('InvalidParameter', `${name} must be a string`);
  }

  /** A required string parameter. */
  reqStr(name: string): string {
    const value = this.str(name);
    if (value === undefined) {
      throw new CommonError('MissingParameter', `The request must contain the parameter ${name}`);
    }
    return value;
  }

  /** An optional integer parameter. */
  int(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isInteger(num)) {
      throw new CommonError('InvalidParameter', `${name} must be an integer`);
    }
    return num;
  }

  /** An optional boolean parameter. */
  bool(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new CommonError('InvalidParameter', `${name} must be a boolean`);
  }

  /** A list of strings (absent → []). */
  strList(name: string): string[] {
    return this.values(name).map((value) => {
      if (typeof value !== 'string') {
        throw new CommonError('InvalidParameter', `${name} must be a list of strings`);
      }
      return value;
    });
  }

  /** A list of structures (absent → []). */
  list(name: string): Input[] {
    return this.values(name).map((value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new CommonError('InvalidParameter', `${name} must be a list of structures`);
      }
      return new Input(value);
    });
  }

  /** A nested structure, if present. */
  obj(name: string): Input | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new CommonError('InvalidParameter', `${name} must be a structure`);
    }
    return new Input(value);
  }

  /** `[{ Key, Value }]` tag lists, the shape IAM, STS, KMS and Secrets Manager share. */
  tags(name = 'Tags'): { Key: string; Value: string }[] {
    return this.list(name).map((tag) => ({
      Key: tag.reqStr('Key'),
      Value: tag.str('Value') ?? '',
    }));
  }

  private values(name: string): InputValue[] {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return [];
    if (!Array.isArray(value)) {
      throw new CommonError('InvalidParameter', `${name} must be a list`);
    }
    return value;
  }
}
