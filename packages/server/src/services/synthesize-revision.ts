/**
 * Synthesis: a registered pipeline at one commit, turned into the frozen plan a deployment
 * carries. Check the commit out, load and validate the pipeline file there, plan it with the
 * organization's values, freeze the plan; the checkout is removed afterwards.
 */
import { relative } from 'node:path';
import {
  checkLoadedPipeline,
  discoverPipelines,
  isRampartError,
  loadPipeline,
  nodeFileSystem,
  planPipeline,
  RampartError,
  type Diagnostic,
  type OrganizationInfo,
  type PipelineModel,
} from '@rampart/core';
import { freezePlan, type DeploymentPlan } from '@rampart/engine';
import type { ApiDiagnostic } from '@rampart/protocol';
import type { RegisteredPipeline } from '@rampart/store';
import { checkoutRevision } from '../sources/checkout-revision.js';
import { DetailedError } from './detailed-error.js';

/** What {@link synthesizeRevision} needs. */
export interface SynthesisRequest {
  pipeline: RegisteredPipeline;
  /** A commit; else `branch`; else the pipeline's default branch. */
  sha?: string;
  branch?: string;
  /** Where checkouts go. */
  workDir: string;
  organization: OrganizationInfo;
  /** The revision number the deployment will get (`${{ trigger.revision }}`). */
  revision: number;
  /** Windows are evaluated at this instant. */
  at: Date;
  /** The control plane's `issuer_url`. @default a placeholder */
  issuerUrl?: string;
  /** Errors of the plan against what this server runs (custom step params). @default none */
  checkPlan?: (model: PipelineModel, plan: DeploymentPlan) => Diagnostic[];
}

/** A synthesized revision. */
export interface SynthesizedRevision {
  commitSha: string;
  /** The branch that was resolved, when the request named no commit. */
  branch?: string;
  plan: DeploymentPlan;
  /** The pipeline's model at that commit (the credential broker reads stage roles from it). */
  model: PipelineModel;
  /** Warnings of the pipeline file at that commit, relative to the repository. */
  warnings: ApiDiagnostic[];
}

/**
 * @throws DetailedError `PIPELINE_INVALID` with the diagnostics when the pipeline is missing at
 *   that commit or does not validate; RampartError `SOURCE_REVISION_NOT_FOUND` /
 *   `SOURCE_UNAVAILABLE` from the checkout.
 */
export async function synthesizeRevision(request: SynthesisRequest): Promise<SynthesizedRevision> {
  const { pipeline } = request;
  const checkout = await checkoutRevision(
    {
      kind: pipeline.sourceKind,
      location: pipeline.location,
      defaultBranch: pipeline.defaultBranch,
    },
    {
      ...(request.sha === undefined ? {} : { sha: request.sha }),
      ...(request.branch === undefined ? {} : { branch: request.branch }),
    },
    request.workDir,
  );
  const at = `commit ${checkout.commitSha.slice(0, 12)}`;
  const shown = (d: Diagnostic): ApiDiagnostic => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: relative(checkout.dir, d.file) || d.file,
    line: d.line,
    column: d.column,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
  });
  try {
    let discovery;
    try {
      discovery = await discoverPipelines(checkout.dir, nodeFileSystem);
    } catch (error) {
      if (!isRampartError(error) || error.source !== 'user') throw error;
      throw new DetailedError(
        'PIPELINE_INVALID',
        `${at}: ${error.message}`,
        {},
        {
          hint: error.hint,
          cause: error,
        },
      );
    }
    const source = discovery.pipelines.find((p) => p.slug === pipeline.slug);
    if (source === undefined) {
      const found = discovery.pipelines.map((p) => p.slug).join(', ') || 'none';
      throw new DetailedError(
        'PIPELINE_INVALID',
        `${at} has no pipeline "${pipeline.slug}" (.rampart/${pipeline.slug}/pipeline.yaml); pipelines there: ${found}`,
        {},
        {
          hint: 'Release a commit that has the pipeline, or register the pipeline under the slug it has.',
        },
      );
    }
    const folder = `/${source.folder}/${source.slug}/`;
    const discoveryErrors = discovery.diagnostics.errors.filter((d) => d.file.includes(folder));
    const trigger = {
      sha: checkout.commitSha,
      revision: request.revision,
      ...(checkout.branch === undefined ? {} : { branch: checkout.branch }),
    };
    const inputs = { organization: request.organization, trigger };
    const validation = checkLoadedPipeline(await loadPipeline(source, nodeFileSystem), inputs);
    const errors = [...discoveryErrors, ...validation.errors];
    if (errors.length > 0 || validation.model === undefined) {
      const first = errors[0];
      throw new DetailedError(
        'PIPELINE_INVALID',
        `pipeline "${pipeline.slug}" at ${at} has ${errors.length} error${errors.length === 1 ? '' : 's'}${first === undefined ? '' : `; the first: ${first.message}`}`,
        { diagnostics: errors.map(shown) },
        {
          hint: 'Fix the errors listed (`rampart validate` shows them too), push, and release again.',
        },
      );
    }
    const plan = planPipeline(validation.model, {
      inputs,
      resolvedStages: validation.resolvedStages,
      at: request.at,
      ...(request.issuerUrl === undefined ? {} : { issuerUrl: request.issuerUrl }),
    });
    const frozen = freezePlan(validation.model, plan);
    const planErrors = request.checkPlan?.(validation.model, frozen) ?? [];
    if (planErrors.length > 0) {
      throw new DetailedError(
        'PIPELINE_INVALID',
        `pipeline "${pipeline.slug}" at ${at} has ${planErrors.length} error${planErrors.length === 1 ? '' : 's'}; the first: ${planErrors[0]?.message ?? ''}`,
        { diagnostics: planErrors.map(shown) },
        {
          hint: 'Fix the steps listed to match the step types this server provides, push, and release again.',
        },
      );
    }
    return {
      commitSha: checkout.commitSha,
      ...(checkout.branch === undefined ? {} : { branch: checkout.branch }),
      plan: frozen,
      model: validation.model,
      warnings: validation.warnings.map(shown),
    };
  } finally {
    await checkout.release();
  }
}

/** The organization from the config, every value present, or CONFIG_INVALID naming what is missing. */
export function requireOrganization(
  organization: Partial<OrganizationInfo> | undefined,
): OrganizationInfo {
  const keys = ['name', 'slug', 'cicd_account_id', 'cicd_account_region'] as const;
  const missing = keys.filter((k) => organization?.[k] === undefined);
  if (organization === undefined || missing.length > 0) {
    throw new RampartError(
      'CONFIG_INVALID',
      `deployments need the organization in the server's configuration; missing: ${missing.map((k) => `organization.${k}`).join(', ')}`,
      {
        source: 'system',
        hint: 'Set them in rampart.config.yaml (or RAMPART_ORGANIZATION_* variables) and restart the server.',
      },
    );
  }
  return organization as OrganizationInfo;
}
