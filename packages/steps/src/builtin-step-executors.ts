// Every step type this package implements, ready to register with the engine. APPROVAL:BAKE and
// APPROVAL:MANUAL are not here: the engine runs them itself (timers and approvals).
import { join } from 'node:path';
import type { AwsClientFactory } from '@rampart/aws';
import { defineStepExecutor, type StepExecutor } from '@rampart/engine';
import { createApprovalTestExecutor } from './approval-test/approval-test-executor.js';
import { createCloudFormationDeployExecutor } from './cloudformation/cloudformation-deploy-executor.js';
import { createCloudFrontInvalidateExecutor } from './cloudfront/cloudfront-invalidate-executor.js';
import type { CommandStepOptions } from './command/command-step.js';
import { createScriptRunExecutor } from './command/script-run-executor.js';
import { createEcsDeployExecutor, type EcsRolloutPolling } from './ecs/ecs-deploy-executor.js';
import { createEcsRunTaskExecutor } from './ecs/ecs-run-task-executor.js';
import { createLambdaDeployExecutor } from './lambda/lambda-deploy-executor.js';
import { createLambdaInvokeExecutor } from './lambda/lambda-invoke-executor.js';
import { createS3UploadExecutor } from './s3/s3-upload-executor.js';
import type { TerraformOrganization } from './terraform/state-backend.js';
import { createTerraformExecutor, terraformActions } from './terraform/terraform-executor.js';
import { terraformParams, type TerraformParams } from './terraform/terraform-params.js';

/** Options of {@link builtinStepExecutors}. */
export interface BuiltinStepExecutorOptions extends CommandStepOptions {
  /** The control plane's AWS client factory; its endpoint override also goes to scripts. */
  sdk: AwsClientFactory;
  /** How the AWS steps wait between polls (rollouts, tasks, stacks, …). @default a real 5-second timer */
  poller?: EcsRolloutPolling;
  /**
   * The control plane's organization (`organization` of the configuration): TERRAFORM:SYNTHESIZE
   * keeps state in its state bucket. @default absent: TERRAFORM:SYNTHESIZE steps fail with
   * `TERRAFORM_NO_ORGANIZATION` (so do they when one of the three keys is missing)
   */
  organization?: Partial<TerraformOrganization>;
  /**
   * A KMS key ARN Terraform state is written with explicitly. @default absent: the state bucket's
   * default encryption, which bootstrap sets to the organization's key
   */
  kmsKeyArn?: string;
  /** The terraform binary (1.10 or later). @default 'terraform' (looked up on PATH) */
  terraformPath?: string;
  /**
   * Where steps keep files between calls (a Terraform plan waiting for approval, under
   * `terraform/`); the server passes `<data_dir>/work/steps`. @default `<tmpdir>/rampart-terraform`
   * for Terraform
   */
  workDir?: string;
}

/**
 * SCRIPT:RUN, APPROVAL:TEST, the AWS step types (ECS:DEPLOY, ECS:RUN_TASK, LAMBDA:DEPLOY,
 * LAMBDA:INVOKE, CLOUDFORMATION:DEPLOY, S3:UPLOAD, CLOUDFRONT:INVALIDATE) and TERRAFORM:SYNTHESIZE.
 * Scripts and Terraform get `AWS_ENDPOINT_URL` from `endpointUrl`, else from the factory's
 * endpoint override. TERRAFORM:SYNTHESIZE is registered even without an organization, so a
 * pipeline that uses it fails at that step with a code that says what to configure instead of an
 * unknown step type.
 */
export function builtinStepExecutors(options: BuiltinStepExecutorOptions): StepExecutor[] {
  const endpointUrl = options.endpointUrl ?? options.sdk.endpointUrl;
  const command: CommandStepOptions = {
    workspaces: options.workspaces,
    ...(options.baseEnv === undefined ? {} : { baseEnv: options.baseEnv }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    ...(options.msPerMinute === undefined ? {} : { msPerMinute: options.msPerMinute }),
  };
  const { sdk, workspaces } = options;
  const poller = options.poller === undefined ? {} : { poller: options.poller };
  return [
    createScriptRunExecutor(command),
    createApprovalTestExecutor(command),
    createEcsDeployExecutor({ sdk, ...poller }),
    createEcsRunTaskExecutor({ sdk, ...poller }),
    createLambdaDeployExecutor({ sdk, ...poller }),
    createLambdaInvokeExecutor({ sdk }),
    createCloudFormationDeployExecutor({ sdk, workspaces, ...poller }),
    createS3UploadExecutor({ sdk, workspaces }),
    createCloudFrontInvalidateExecutor({ sdk, ...poller }),
    terraformExecutor(options, endpointUrl),
  ];
}

function terraformExecutor(
  options: BuiltinStepExecutorOptions,
  endpointUrl: string | undefined,
): StepExecutor<TerraformParams> {
  const { slug, cicd_account_id, cicd_account_region } = options.organization ?? {};
  if (slug === undefined || cicd_account_id === undefined || cicd_account_region === undefined) {
    const missing = Object.entries({ slug, cicd_account_id, cicd_account_region })
      .filter(([, value]) => value === undefined)
      .map(([key]) => `organization.${key}`);
    return unconfiguredTerraformExecutor(missing);
  }
  return createTerraformExecutor({
    workspaces: options.workspaces,
    sdk: options.sdk,
    organization: { slug, cicd_account_id, cicd_account_region },
    ...(options.kmsKeyArn === undefined ? {} : { kmsKeyArn: options.kmsKeyArn }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.terraformPath === undefined ? {} : { terraformPath: options.terraformPath }),
    ...(options.workDir === undefined ? {} : { workDir: join(options.workDir, 'terraform') }),
    ...(options.baseEnv === undefined ? {} : { baseEnv: options.baseEnv }),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
  });
}

/** TERRAFORM:SYNTHESIZE without an organization: same params and IAM, every run fails. */
function unconfiguredTerraformExecutor(missing: readonly string[]): StepExecutor<TerraformParams> {
  return defineStepExecutor<TerraformParams>({
    type: 'RAMPART:TERRAFORM:SYNTHESIZE',
    paramsSchema: terraformParams,
    iamActions: (params) => terraformActions(params),
    execute: () =>
      Promise.resolve({
        kind: 'failed',
        code: 'TERRAFORM_NO_ORGANIZATION',
        message: `the control plane's configuration lacks ${missing.join(', ')}, so there is no Terraform state bucket: set it in rampart.config.yaml, run "rampart bootstrap", restart the server and retry the stage`,
      }),
  });
}
