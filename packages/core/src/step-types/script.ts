/** SCRIPT:RUN: a shell command with the stage's credentials. */
import { z } from 'zod';
import { freeMap, positiveInt, text } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

export const scriptRun = defineStepType({
  id: 'RAMPART:SCRIPT:RUN',
  description:
    'Runs a shell command with the stage credentials; KEY=VALUE lines written to $RAMPART_OUTPUT become outputs.',
  params: z.strictObject({
    command: text().describe('Shell command to run.'),
    working_directory: text()
      .optional()
      .describe(
        'Folder to run the command in, relative to the repository root; default: the root.',
      ),
    env: freeMap().optional().describe('Environment variables for the command.'),
    timeout_minutes: positiveInt()
      .optional()
      .describe('How long the command may run before it is stopped and the step fails.'),
  }),
  outputs: 'any',
  rollback: { mode: 'none', description: 'not applicable' },
  // A script gets what the other steps and aws_additional_iam_policies grant; what it calls cannot
  // be known offline.
  iam: () => [],
});
