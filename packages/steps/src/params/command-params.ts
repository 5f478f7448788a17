// SCRIPT:RUN and APPROVAL:TEST params as the executors use them: core's catalog schemas, with
// every value resolved.
import { STEP_TYPES } from '@rampart/core';
import { resolvedEnv, resolvedNumber, resolvedText } from './resolve-params.js';

/** SCRIPT:RUN params, resolved. */
export interface ScriptRunParams {
  command: string;
  /** Relative to the repository root. @default the root */
  working_directory?: string;
  /** Extra variables; names and values as the command sees them. @default {} */
  env: Record<string, string>;
  /** Stops the command (and fails the step) after this many minutes. @default no limit */
  timeout_minutes?: number;
}

/** APPROVAL:TEST params, resolved. */
export interface ApprovalTestParams extends ScriptRunParams {
  /** A JUnit XML file the command writes, relative to the working directory. @default none */
  junit_report?: string;
}

/** The schema of SCRIPT:RUN params: core's, resolved. */
export const scriptRunParams = STEP_TYPES['RAMPART:SCRIPT:RUN'].params.transform(
  (raw, ctx): ScriptRunParams => {
    const params: ScriptRunParams = {
      command: resolvedText(raw.command, 'command', ctx),
      env: resolvedEnv(raw.env, ctx),
    };
    if (raw.working_directory !== undefined) {
      params.working_directory = resolvedText(raw.working_directory, 'working_directory', ctx);
    }
    if (raw.timeout_minutes !== undefined) {
      params.timeout_minutes = resolvedNumber(raw.timeout_minutes, 'timeout_minutes', ctx);
    }
    return params;
  },
);

/** The schema of APPROVAL:TEST params: core's, resolved. */
export const approvalTestParams = STEP_TYPES['RAMPART:APPROVAL:TEST'].params.transform(
  (raw, ctx): ApprovalTestParams => {
    const params: ApprovalTestParams = {
      command: resolvedText(raw.command, 'command', ctx),
      env: resolvedEnv(raw.env, ctx),
    };
    if (raw.working_directory !== undefined) {
      params.working_directory = resolvedText(raw.working_directory, 'working_directory', ctx);
    }
    if (raw.timeout_minutes !== undefined) {
      params.timeout_minutes = resolvedNumber(raw.timeout_minutes, 'timeout_minutes', ctx);
    }
    if (raw.junit_report !== undefined) {
      params.junit_report = resolvedText(raw.junit_report, 'junit_report', ctx);
    }
    return params;
  },
);
