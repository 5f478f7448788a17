/** APPROVAL:BAKE, APPROVAL:MANUAL and APPROVAL:TEST: gates a revision passes before moving on. */
import { z } from 'zod';
import { freeMap, positiveInt, positiveNumber, text } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

// Gates run in the control plane or as scripts: they call no AWS API with the stage role.
const noStatements = (): [] => [];

export const approvalBake = defineStepType({
  id: 'RAMPART:APPROVAL:BAKE',
  description:
    "Waits while watching the stage's rollback alarms; can be approved early or rejected.",
  params: z.strictObject({
    duration_minutes: positiveInt().describe('How long to bake, in minutes.'),
  }),
  outputs: [],
  rollback: { mode: 'none', description: 'not applicable' },
  iam: noStatements,
});

export const approvalManual = defineStepType({
  id: 'RAMPART:APPROVAL:MANUAL',
  description: 'Waits for a person to approve or reject the revision.',
  params: z.strictObject({
    timeout_hours: positiveNumber()
      .default(168)
      .describe('Hours to wait for a decision before the step fails.'),
  }),
  outputs: ['approved_by'],
  rollback: { mode: 'none', description: 'not applicable' },
  iam: noStatements,
});

export const approvalTest = defineStepType({
  id: 'RAMPART:APPROVAL:TEST',
  description: 'Runs a test command against the stage; the step fails when the command fails.',
  params: z.strictObject({
    command: text().describe('Shell command that runs the tests.'),
    working_directory: text()
      .optional()
      .describe(
        'Folder to run the command in, relative to the repository root; default: the root.',
      ),
    env: freeMap().optional().describe('Environment variables for the command.'),
    timeout_minutes: positiveInt()
      .optional()
      .describe('How long the command may run before it is stopped and the step fails.'),
    junit_report: text()
      .optional()
      .describe('Path of a JUnit XML report the command writes; its counts become the outputs.'),
  }),
  outputs: ['passed', 'failed'],
  rollback: { mode: 'none', description: 'not applicable' },
  iam: noStatements,
});
