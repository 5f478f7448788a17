/** Finds and reads the control-plane config: --config FILE, RAMPART_CONFIG, or ./rampart.config.yaml. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseControlPlaneConfig,
  RampartError,
  type ControlPlaneConfig,
  type OrganizationInfo,
} from '@rampart/core';
import type { CliIo } from './cli-io.js';

export interface LoadedConfig {
  config: ControlPlaneConfig;
  /** The file read, if any. */
  file: string | undefined;
}

export function loadConfig(io: CliIo, explicit: string | undefined): LoadedConfig {
  const fromEnv = io.env.RAMPART_CONFIG;
  const named = explicit ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  const file = named ?? join(io.cwd, 'rampart.config.yaml');
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (named !== undefined || code !== 'ENOENT') {
      throw new RampartError(
        code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID',
        code === 'ENOENT'
          ? `config file ${file} does not exist`
          : `config file ${file} cannot be read (${code ?? 'error'})`,
        {
          hint:
            named === explicit
              ? 'Check the --config path.'
              : 'Check RAMPART_CONFIG, or unset it to use ./rampart.config.yaml.',
        },
      );
    }
  }
  return {
    config: parseControlPlaneConfig({ ...(text === undefined ? {} : { text, file }), env: io.env }),
    file: text === undefined ? undefined : file,
  };
}

/** The organization section as expression inputs (missing keys stay placeholders). */
export function organizationOf(config: ControlPlaneConfig): Partial<OrganizationInfo> {
  return { ...config.organization };
}
