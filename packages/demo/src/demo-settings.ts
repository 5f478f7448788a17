/** The fixed facts of the demo: its organization, accounts, stages, service, alarm and images. */
import { fileURLToPath } from 'node:url';

/** The sandbox's default organization (see packages/aws-sandbox/README.md). */
export const DEMO_ACCOUNTS = {
  management: '111111111111',
  cicd: '222222222222',
  staging: '444444444444',
  prod: '555555555555',
} as const;

/** The control plane's organization settings. */
export const DEMO_ORGANIZATION = {
  name: 'Acme (demo)',
  slug: 'acme',
  cicd_account_id: DEMO_ACCOUNTS.cicd,
  cicd_account_region: 'us-east-1',
} as const;

/** The example pipeline's slug (its folder under `.rampart/`). */
export const DEMO_PIPELINE = 'web';

/** One stage of the example pipeline, as the demo prepares and checks it. */
export interface DemoStage {
  name: 'staging' | 'prod-us' | 'prod-eu';
  accountId: string;
  region: string;
  /** The rollback alarm the stage watches. @default none (staging) */
  alarm?: string;
}

/** The stages in pipeline order (they must match `example/.rampart/web/pipeline.yaml`). */
export const DEMO_STAGES: readonly DemoStage[] = [
  { name: 'staging', accountId: DEMO_ACCOUNTS.staging, region: 'us-east-1' },
  { name: 'prod-us', accountId: DEMO_ACCOUNTS.prod, region: 'us-east-1', alarm: 'web-5xx' },
  { name: 'prod-eu', accountId: DEMO_ACCOUNTS.prod, region: 'eu-west-1', alarm: 'web-5xx' },
];

/** The ECS cluster, service, task definition family and container in every stage. */
export const DEMO_SERVICE = 'web';

/** The workload stack each stage account and region gets (cluster, service, alarm). */
export const WORKLOAD_STACK = 'web-service';

/**
 * What every stage's service runs before Rampart's first deployment, pinned by digest: the team's
 * own infrastructure code created it. The registry is fictional: the sandbox "pulls" an image from
 * outside its own registry by the digest written in the URL. Rampart's deployments replace it with
 * the stage's copy of the imported vendor image.
 */
export const INITIAL_IMAGE =
  'registry.example/acme/web@sha256:26d264df1d7e85a00d89ea380f2dea73a9c9d6ded71039dfa3354bcb2c410eb6';

/** The bucket the stage's static site is published to (created by the workload stack). */
export function siteBucketOf(stage: DemoStage): string {
  return `web-site-${stage.name}-${stage.accountId}`;
}

/** The digest of an image URL pinned by digest. */
export function digestOf(imageUrl: string): string {
  const at = imageUrl.lastIndexOf('@');
  return at < 0 ? '' : imageUrl.slice(at + 1);
}

/** The bundled example repository (shipped with the package, beside `dist/`). */
export const EXAMPLE_DIR = fileURLToPath(new URL('../example/', import.meta.url));

/** The pipeline file inside the example repository. */
export const PIPELINE_FILE = `.rampart/${DEMO_PIPELINE}/pipeline.yaml`;
