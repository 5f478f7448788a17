/**
 * Test helpers: the multi-account example with its organization, and pipelines written to
 * throw-away repositories. Every temporary folder is removed by `removeTempRepos`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  nodeFileSystem,
  parseControlPlaneConfig,
  validateRepository,
  type PipelineModel,
  type ResolvedStage,
  type StageModel,
} from '@rampart/core';
import type { BootstrapSettings } from '../bootstrap/templates/index.js';

/** The KMS key ARN tests pass as the org stack's `KeyArn` output. */
export const TEST_KEY_ARN =
  'arn:aws:kms:us-east-1:111111111111:key/0b1c2d3e-0000-4000-8000-000000000001';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface LoadedPipeline {
  model: PipelineModel;
  resolved: ReadonlyMap<string, ResolvedStage>;
}

/** Validates every pipeline under `root` with the settings' organization; throws on errors. */
export async function loadPipelines(
  root: string,
  settings: BootstrapSettings,
): Promise<LoadedPipeline[]> {
  const result = await validateRepository(root, nodeFileSystem, {
    organization: settings.organization,
  });
  return result.pipelines.map((p) => {
    if (p.model === undefined) {
      throw new Error(`${p.source.file}: ${p.errors.map((e) => e.message).join('; ')}`);
    }
    return { model: p.model, resolved: p.resolvedStages };
  });
}

/** `examples/multi-account` with the organization and issuer of its `rampart.config.yaml`. */
export async function multiAccountExample(): Promise<{
  settings: BootstrapSettings;
  web: LoadedPipeline;
}> {
  const root = join(repoRoot, 'examples', 'multi-account');
  const config = parseControlPlaneConfig({
    text: readFileSync(join(root, 'rampart.config.yaml'), 'utf8'),
    file: 'rampart.config.yaml',
  });
  const org = config.organization;
  if (
    org?.slug === undefined ||
    org.cicd_account_id === undefined ||
    org.cicd_account_region === undefined ||
    config.issuer_url === undefined
  ) {
    throw new Error('the example config lacks organization or issuer_url');
  }
  const settings: BootstrapSettings = {
    organization: {
      slug: org.slug,
      cicd_account_id: org.cicd_account_id,
      cicd_account_region: org.cicd_account_region,
    },
    issuerUrl: config.issuer_url,
  };
  const [web] = await loadPipelines(root, settings);
  if (web === undefined) throw new Error('the example has no pipeline');
  return { settings, web };
}

const created: string[] = [];

/** Writes `files` (path → text) into a fresh temporary repository and returns its root. */
export function makeTempRepo(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-aws-test-'));
  created.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** Removes every repository made by `makeTempRepo` (call from `afterAll`). */
export function removeTempRepos(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** The pipeline `.rampart/<slug>/pipeline.yaml` holding `yaml`, plus optional policies. */
export async function pipelineFrom(
  settings: BootstrapSettings,
  yaml: string,
  options: { slug?: string; policies?: string } = {},
): Promise<LoadedPipeline> {
  const slug = options.slug ?? 'app';
  const files: Record<string, string> = { [`.rampart/${slug}/pipeline.yaml`]: yaml };
  if (options.policies !== undefined) {
    files[`.rampart/${slug}/aws_additional_iam_policies.json`] = options.policies;
  }
  const [loaded] = await loadPipelines(makeTempRepo(files), settings);
  if (loaded === undefined) throw new Error('no pipeline');
  return loaded;
}

/** The stage (or ephemeral environment) named `name`. */
export function stageNamed(model: PipelineModel, name: string): StageModel {
  const stage = [...model.stages, ...model.ephemeral].find((s) => s.name === name);
  if (stage === undefined) throw new Error(`no stage ${name}`);
  return stage;
}
