/**
 * Reads an artifact's params as the frozen plan carries them (checked against core's schema at
 * plan time, but stored as plain JSON): a param of the wrong shape is ARTIFACT_PARAMS_INVALID.
 */
import { resolve, sep } from 'node:path';
import { RampartError } from '@rampart/core';
import type { ArtifactBuildSpec, JsonObject, JsonValue } from '@rampart/engine';

function invalid(artifact: ArtifactBuildSpec, message: string): RampartError {
  return new RampartError(
    'ARTIFACT_PARAMS_INVALID',
    `artifact "${artifact.name}" (${artifact.type}): ${message}`,
    {
      source: 'user',
      hint: 'Fix the artifact in pipeline.yaml (`rampart validate` checks it) and deploy again.',
    },
  );
}

/** Typed access to one artifact's params. */
export class BuildParams {
  constructor(
    private readonly artifact: ArtifactBuildSpec,
    private readonly params: JsonObject,
  ) {}

  /** A required string. */
  text(name: string): string {
    const value = this.optionalText(name);
    if (value === undefined || value === '') throw invalid(this.artifact, `"${name}" is required`);
    return value;
  }

  /** A string, or undefined when absent. */
  optionalText(name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(this.artifact, `"${name}" must be a string`);
    return value;
  }

  /** A positive number (minutes, …), or undefined when absent. */
  optionalPositive(name: string): number | undefined {
    const value = this.params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !(value > 0)) {
      throw invalid(this.artifact, `"${name}" must be a positive number`);
    }
    return value;
  }

  /** A string or a non-empty list of strings, as a list. */
  textList(name: string): string[] {
    const value = this.params[name];
    if (typeof value === 'string' && value.trim() !== '') return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
      return value;
    }
    throw invalid(this.artifact, `"${name}" must be a command or a list of commands`);
  }

  /** `KEY=VALUE` strings, as pairs in order. @default none */
  keyValues(name: string): [string, string][] {
    const value = this.params[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value))
      throw invalid(this.artifact, `"${name}" must be a list of KEY=VALUE`);
    return value.map((item: JsonValue) => {
      const text = typeof item === 'string' ? item : '';
      const equals = text.indexOf('=');
      if (equals <= 0) {
        throw invalid(this.artifact, `"${name}" entry ${JSON.stringify(item)} is not KEY=VALUE`);
      }
      return [text.slice(0, equals), text.slice(equals + 1)];
    });
  }

  /** A map of variables; numbers and booleans become strings. @default empty */
  env(name = 'env'): Record<string, string> {
    const value = this.params[name];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw invalid(this.artifact, `"${name}" must be a map of names to values`);
    }
    const env: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        throw invalid(this.artifact, `"${name}" has an invalid variable name "${key}"`);
      }
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        env[key] = String(v);
      } else {
        throw invalid(this.artifact, `"${name}.${key}" must be a string, number or boolean`);
      }
    }
    return env;
  }

  /**
   * A path relative to the repository root (a leading `/` means the root too), resolved inside
   * `root`; one that leads out of it is refused.
   */
  pathIn(root: string, name: string, value: string): string {
    const full = resolve(root, `.${sep}${value.replace(/^\/+/, '')}`);
    if (full !== root && !full.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
      throw invalid(this.artifact, `"${name}" (${value}) leads outside the repository`);
    }
    return full;
  }

  /** The error for a param that is present but unusable. */
  invalid(message: string): RampartError {
    return invalid(this.artifact, message);
  }
}
