// SCRIPT:RUN: a shell command with the stage's credentials; `KEY=VALUE` lines it writes to
// `$RAMPART_OUTPUT` become the step's outputs.
import { defineStepExecutor, type StepExecutor } from '@rampart/engine';
import { scriptRunParams, type ScriptRunParams } from '../params/command-params.js';
import { parseOutputFile } from '../process/output-file.js';
import {
  MAX_OUTPUT_FILE_BYTES,
  commandFailure,
  runCommandStep,
  type CommandStepOptions,
} from './command-step.js';

/** Options of {@link createScriptRunExecutor}. */
export type ScriptRunExecutorOptions = CommandStepOptions;

/** The SCRIPT:RUN executor. */
export function createScriptRunExecutor(
  options: ScriptRunExecutorOptions,
): StepExecutor<ScriptRunParams> {
  return defineStepExecutor<ScriptRunParams>({
    type: 'RAMPART:SCRIPT:RUN',
    paramsSchema: scriptRunParams,
    // What a script calls cannot be known; the stage role grants it through the other steps and
    // aws_additional_iam_policies.
    iamActions: () => [],
    async execute(ctx) {
      const run = await runCommandStep(ctx, options, { outputFile: true });
      if (run.kind === 'refused') return run.outcome;
      const failure = commandFailure(run.process, run.tail, ctx.params.timeout_minutes);
      if (failure !== undefined) return failure;
      const output = run.output ?? { text: '' };
      if ('tooLarge' in output) {
        return {
          kind: 'failed',
          code: 'outputs',
          message: `$RAMPART_OUTPUT holds ${output.tooLarge} bytes, more than the ${MAX_OUTPUT_FILE_BYTES} allowed: write only the values later steps need`,
        };
      }
      const parsed = parseOutputFile(output.text);
      if (parsed.problems.length > 0) {
        const lines = parsed.problems.map((p) => `line ${p.line}: ${p.message}`);
        return {
          kind: 'failed',
          code: 'outputs',
          message: `$RAMPART_OUTPUT has malformed lines (${lines.join('; ')}): write KEY=VALUE, or KEY<<END … END for values over several lines`,
        };
      }
      return { kind: 'succeeded', outputs: parsed.outputs };
    },
  });
}
