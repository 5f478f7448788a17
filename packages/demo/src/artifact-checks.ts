/**
 * The demo's expected outcomes about artifacts: each revision built or imported its artifacts
 * once (revision 2 reused the unchanged site), every stage holds its own copies, and the steps
 * deployed those copies, not the CI/CD account's or the vendor's.
 */
import type { EngineEventInfo } from '@rampart/protocol';
import type { ArtifactCopies } from './artifact-copies.js';
import type { ServiceState } from './demo-checks.js';
import { DEMO_PIPELINE, DEMO_STAGES } from './demo-settings.js';

/** The example's artifacts by display name. */
export const IMAGE_NAME = 'Web Image';
export const BUNDLE_NAME = 'Site';

/** One artifact check's result (see `DemoCheck`). */
export interface ArtifactCheckResult {
  expectation: string;
  ok: boolean;
  detail: string;
}

/** What the artifact checks look at. */
export interface ArtifactCheckInput {
  events: readonly EngineEventInfo[];
  services: readonly ServiceState[];
  /** @default absent when they could not be read: the checks fail */
  copies?: ArtifactCopies;
  /** Digests of the vendor images revision 1 and 2 import. @default absent: unknown */
  images?: { v1: string; v2: string };
}

type Outcome = {
  kind: 'built' | 'reused';
  fields: Record<string, string>;
  reusedRevision?: number;
};

/** What the events say each revision's build phase did, per artifact name. */
function buildOutcomes(
  events: readonly EngineEventInfo[],
  revision: number,
): Map<string, Outcome[]> {
  const found = new Map<string, Outcome[]>();
  for (const e of events) {
    if (e.deploymentId !== `${DEMO_PIPELINE}:${revision}` || e.stage !== undefined) continue;
    if (e.type !== 'artifact.built' && e.type !== 'artifact.reused') continue;
    const name = field(e.data, 'artifact');
    if (typeof name !== 'string') continue;
    const reused = field(e.data, 'reusedRevision');
    const outcome: Outcome = {
      kind: e.type === 'artifact.built' ? 'built' : 'reused',
      fields: stringFields(field(e.data, 'fields')),
      ...(typeof reused === 'number' ? { reusedRevision: reused } : {}),
    };
    found.set(name, [...(found.get(name) ?? []), outcome]);
  }
  return found;
}

/** The CI/CD copy's fields of an artifact as revision `revision` built or reused it. */
export function builtFields(
  events: readonly EngineEventInfo[],
  revision: number,
  name: string,
): Record<string, string> | undefined {
  return buildOutcomes(events, revision).get(name)?.[0]?.fields;
}

/** Revision 1 imported the image and built the site; revision 2 imported again, reused the site. */
export function artifactsBuiltOnce(input: ArtifactCheckInput): ArtifactCheckResult {
  const expectation =
    'each revision built or imported each artifact once; revision 2 reused the unchanged site';
  const problems: string[] = [];
  const told: string[] = [];
  const expect = (revision: number, name: string, kind: Outcome['kind']) => {
    const outcomes = buildOutcomes(input.events, revision).get(name) ?? [];
    const [only] = outcomes;
    if (outcomes.length !== 1 || only === undefined) {
      problems.push(`revision ${revision}: ${name} ${outcomes.length} times, not once`);
      return;
    }
    if (only.kind !== kind) {
      problems.push(`revision ${revision}: ${name} ${only.kind}, not ${kind}`);
      return;
    }
    const what =
      only.kind === 'reused'
        ? `reused from revision ${only.reusedRevision ?? '?'}`
        : name === IMAGE_NAME
          ? `imported ${short(only.fields['image_digest'])}`
          : `built ${short(only.fields['sha256'])}`;
    told.push(`r${revision} ${name} ${what}`);
  };
  expect(1, IMAGE_NAME, 'built');
  expect(1, BUNDLE_NAME, 'built');
  expect(2, IMAGE_NAME, 'built');
  expect(2, BUNDLE_NAME, 'reused');
  const r1 = builtFields(input.events, 1, IMAGE_NAME)?.['image_digest'];
  const r2 = builtFields(input.events, 2, IMAGE_NAME)?.['image_digest'];
  if (input.images !== undefined && r1 !== undefined && r1 !== input.images.v1)
    problems.push(`revision 1 imported ${r1}, not the vendor's 1.0 (${input.images.v1})`);
  if (input.images !== undefined && r2 !== undefined && r2 !== input.images.v2)
    problems.push(`revision 2 imported ${r2}, not the vendor's 2.0 (${input.images.v2})`);
  return {
    expectation,
    ok: problems.length === 0,
    detail: problems.length === 0 ? told.join(', ') : problems.join('; '),
  };
}

/** Every stage's repository holds revision 1's image, and its bucket the site with its SHA-256. */
export function artifactsMirrored(input: ArtifactCheckInput): ArtifactCheckResult {
  const expectation =
    "every stage's own repository and bucket hold the image and the site, byte for byte";
  const digest = builtFields(input.events, 1, IMAGE_NAME)?.['image_digest'];
  const sha256 = builtFields(input.events, 1, BUNDLE_NAME)?.['sha256'];
  const copies = input.copies;
  if (copies === undefined || digest === undefined || sha256 === undefined) {
    return {
      expectation,
      ok: false,
      detail:
        copies === undefined
          ? 'the artifact stores could not be read'
          : "revision 1's builds were not reported",
    };
  }
  const problems: string[] = [];
  for (const stores of [copies.cicd, ...copies.stages]) {
    if (!stores.imageDigests.includes(digest))
      problems.push(`${stores.where}: ${stores.repository} lacks ${short(digest)}`);
    if (!stores.bundles.some((b) => b.sha256 === sha256))
      problems.push(
        `${stores.where}: ${stores.bucket} holds no bundle with SHA-256 ${short(sha256)}`,
      );
  }
  return {
    expectation,
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `image ${short(digest)} and site ${short(sha256)} in ${copies.stages.map((s) => s.where).join(', ')}`
        : problems.join('; '),
  };
}

/** The services run their stage's copy by digest; the site buckets hold the bundle's files. */
export function stepsUsedMirrors(input: ArtifactCheckInput): ArtifactCheckResult {
  const expectation =
    "each stage's steps deployed that stage's own copies: the image by digest, the site unzipped";
  const problems: string[] = [];
  for (const stage of DEMO_STAGES) {
    const stores = input.copies?.stages.find((s) => s.where === stage.name);
    const image = input.services.find((s) => s.stage === stage.name)?.image ?? '';
    const own = `/${stage.accountId}/${stage.region}/${stores?.repository ?? '?'}@sha256:`;
    if (!image.includes(own))
      problems.push(`${stage.name} runs ${image || 'nothing'}, not its own copy`);
    const files = input.copies?.siteFiles[stage.name] ?? [];
    if (!files.includes('index.html'))
      problems.push(`${stage.name}'s site bucket holds ${files.join(', ') || 'nothing'}`);
  }
  return {
    expectation,
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `services run ${DEMO_STAGES.map((s) => imageName(input.services.find((x) => x.stage === s.name)?.image)).join(', ')}; sites hold ${(input.copies?.siteFiles['staging'] ?? []).join(', ')}`
        : problems.join('; '),
  };
}

function field(data: unknown, key: string): unknown {
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)[key]
    : undefined;
}

function stringFields(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** `sha256:0123456789ab` (a digest) or `0123456789ab` (hex). */
function short(digest: string | undefined): string {
  if (digest === undefined) return '?';
  const colon = digest.indexOf(':');
  return digest.slice(0, colon + 13);
}

/** `…/555555555555/eu-west-1/web-prod-eu-web-image@sha256:0123456789ab` → `web-prod-eu-web-image@sha256:0123456789ab`. */
function imageName(image: string | undefined): string {
  if (image === undefined) return 'nothing';
  const name = image.slice(image.lastIndexOf('/') + 1);
  const at = name.indexOf('@sha256:');
  return at < 0 ? name : name.slice(0, at + 20);
}
