/**
 * The shape of a pipeline file in its modern form (older shapes are rewritten to this one by
 * `normalizeLegacyShapes` first). Step and artifact params are checked per type afterwards.
 */
import { z } from 'zod';

const text = (description: string) => z.string().describe(description);

/** Approval policy for pipeline updates and Terraform plans. */
export const approvalPolicySchema = z
  .enum(['ALWAYS', 'NEVER', 'DESTRUCTIVE_CHANGES_ONLY'])
  .describe('ALWAYS, NEVER or DESTRUCTIVE_CHANGES_ONLY');

export const weekdaySchema = z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);

/** (ext) A custom deployment time window. */
export const windowObjectSchema = z
  .strictObject({
    timezone: text('IANA time zone name, e.g. Europe/Berlin').optional(),
    days: z.array(z.string()).describe('Days the window is open: MON … SUN').optional(),
    start: text('Opening time, "HH:MM" local time').optional(),
    end: text('Closing time, "HH:MM" local time, after start').optional(),
    exclude_dates: z
      .array(z.string())
      .describe('Local dates (YYYY-MM-DD) when the window stays closed')
      .optional(),
    freezes: z
      .array(
        z.strictObject({
          from: text('ISO instant the freeze starts'),
          to: text('ISO instant the freeze ends'),
          reason: text('Why deployments are frozen').optional(),
        }),
      )
      .describe('Periods when the window stays closed')
      .optional(),
  })
  .describe('A custom deployment time window');

export const windowRefSchema = z
  .union([
    text(
      'NONE, PACIFIC_WORKING_HOURS, PACIFIC_WORKING_HOURS_REDUCED or a window defined in deployment_time_windows',
    ),
    windowObjectSchema,
  ])
  .describe('When deployments may enter the stage');

const varsSchema = z
  .record(z.string(), z.unknown())
  .describe('Free-form values read as ${{ vars.<key> }}');

export const stageDefaultsSchema = z.strictObject({
  deployment_time_window: windowRefSchema.optional(),
  vars: varsSchema.optional(),
  auto_rollback_alarm_name: text('CloudWatch alarm that rolls the stage back').optional(),
  auto_rollback_alarm_names: z
    .array(z.string())
    .describe('(ext) Several rollback alarms; any one in ALARM triggers')
    .optional(),
});

export const stageSchema = z.strictObject({
  name: text('Unique stage name: lowercase letters, digits, hyphens'),
  account_id: text('12-digit AWS account id, quoted'),
  region: text('AWS region code, e.g. us-east-1'),
  deployment_time_window: windowRefSchema.optional(),
  vars: varsSchema.optional(),
  skip: z.array(z.string()).describe('Step names or ids not run in this stage').optional(),
  auto_rollback_alarm_name: text('CloudWatch alarm in the stage account and region').optional(),
  auto_rollback_alarm_names: z
    .array(z.string())
    .describe('(ext) Several rollback alarms')
    .optional(),
});

export const stepSchema = z.strictObject({
  name: text('Unique step name'),
  id: text('Short name used in ${{ steps.<id>.<output> }}').optional(),
  type: text('Step type: RAMPART:<GROUP>:<NAME>, DEVRAMPS:<GROUP>:<NAME> or CUSTOM:<NAME>'),
  goes_after: z
    .array(z.string())
    .describe('Names or ids of steps that must finish first; default: the previous step')
    .optional(),
  timeout_minutes: z.number().int().positive().describe('(ext) Step timeout in minutes').optional(),
  params: z.record(z.string(), z.unknown()).describe('Type-specific parameters').optional(),
});

export const artifactSchema = z.strictObject({
  id: text(
    'Identifier; default: the name lowercased with other characters turned into -',
  ).optional(),
  type: text('DOCKER:BUILD, DOCKER:IMPORT, BUNDLE:BUILD or BUNDLE:IMPORT'),
  params: z.record(z.string(), z.unknown()).describe('Type-specific parameters').optional(),
  architecture: z.enum(['linux/amd64', 'linux/arm64']).describe('Platform to build for').optional(),
  host_size: text('Accepted; a worker label').optional(),
  dependencies: z.array(z.string()).describe('Accepted for compatibility').optional(),
  rebuild_when_changed: z
    .array(z.string())
    .describe('Repo paths: reuse the last build when none changed')
    .optional(),
  per_stage: z.boolean().describe("Build once per stage with that stage's expressions").optional(),
  envs: z
    .record(z.string(), z.unknown())
    .describe('Environment for the build (same as params.env)')
    .optional(),
});

export const notificationEventSchema = z.enum([
  'stage_started',
  'stage_succeeded',
  'stage_failed',
  'approval_required',
  'stage_auto_rolled_back',
  'stage_rolled_back',
  'stage_rolled_forward',
  'ephemeral_claimed',
  'ephemeral_released',
  'ephemeral_deployment_succeeded',
  'ephemeral_deployment_failed',
]);

export const notificationsSchema = z.strictObject({
  slack: z
    .strictObject({
      channel: text('Slack channel, e.g. #deployments'),
      events: z.array(notificationEventSchema).optional(),
    })
    .optional(),
  webhook: z
    .strictObject({
      url_secret: text('(ext) Name of the organization secret holding the webhook URL'),
      events: z.array(notificationEventSchema).optional(),
    })
    .optional(),
});

export const ephemeralTriggerSchema = z.strictObject({
  on: z.enum(['pull_request', 'api']).describe('What claims the environment'),
  target_branches: z
    .array(z.string())
    .describe('Branch globs; required for pull_request')
    .optional(),
});

export const ephemeralReleaseSchema = z.strictObject({
  on: z.enum(['pr_closed', 'api', 'timeout']).describe('What releases the environment'),
  after_idle_hours: z
    .number()
    .positive()
    .describe('Idle hours before release; required for timeout')
    .optional(),
});

export const ephemeralEnvironmentSchema = z.strictObject({
  triggers: z.array(ephemeralTriggerSchema).min(1),
  release: z.array(ephemeralReleaseSchema).min(1),
  on_release: z
    .enum(['deploy_main', 'none'])
    .describe('After release: redeploy the tracked branch, or nothing')
    .optional(),
  account_id: text('12-digit AWS account id, quoted'),
  region: text('AWS region code'),
  vars: varsSchema.optional(),
  skip: z.array(z.string()).optional(),
  slots: z
    .number()
    .int()
    .positive()
    .describe('(ext) Sessions that may hold the environment at once')
    .optional(),
  deployment_time_window: windowRefSchema.optional(),
  auto_rollback_alarm_name: z.string().optional(),
  auto_rollback_alarm_names: z.array(z.string()).optional(),
});

export const pipelineBodySchema = z.strictObject({
  cloud_provider: z.literal('AWS').describe('Only AWS'),
  pipeline_updates_require_approval: approvalPolicySchema.optional(),
  tracks: text('Branch that triggers deployments; default main').optional(),
  stage_defaults: stageDefaultsSchema.optional(),
  stages: z.array(stageSchema).min(1),
  steps: z.array(stepSchema).min(1),
  artifacts: z.record(z.string(), artifactSchema).optional(),
  notifications: notificationsSchema.optional(),
  ephemeral_environments: z.record(z.string(), ephemeralEnvironmentSchema).optional(),
  deployment_time_windows: z
    .record(z.string(), windowObjectSchema)
    .describe('(ext) Named custom windows')
    .optional(),
});

export const pipelineFileSchema = z.strictObject({
  version: text('Format version, "1.0.0"'),
  pipeline: pipelineBodySchema,
});

export type PipelineFile = z.infer<typeof pipelineFileSchema>;
export type PipelineBody = z.infer<typeof pipelineBodySchema>;
export type StageInput = z.infer<typeof stageSchema>;
export type StepInput = z.infer<typeof stepSchema>;
export type ArtifactInput = z.infer<typeof artifactSchema>;
export type WindowObjectFields = z.infer<typeof windowObjectSchema>;
export type EphemeralEnvironmentInput = z.infer<typeof ephemeralEnvironmentSchema>;
export type StageDefaultsInput = z.infer<typeof stageDefaultsSchema>;
