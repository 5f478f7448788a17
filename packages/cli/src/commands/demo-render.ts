/** How `rampart demo` shows its progress, the expected outcomes and where to explore afterwards. */
import type { DemoEvent, DemoRun } from '@rampart/demo';

type EngineEvent = Extract<DemoEvent, { type: 'engine-event' }>['event'];

const BAKE_TYPE = 'RAMPART:APPROVAL:BAKE';

/** Turns demo events into lines: one per meaningful event, with the real seconds since the start. */
export class DemoRenderer {
  /** Step types by `<deployment>/<stage>/<step>`, from the events that started them. */
  private readonly stepTypes = new Map<string, string>();

  constructor(private readonly speed: number) {}

  line(event: DemoEvent): string | undefined {
    const text = this.describe(event);
    return text === undefined
      ? undefined
      : `[${(event.elapsedMs / 1000).toFixed(1).padStart(5)}s] ${text}\n`;
  }

  private describe(event: DemoEvent): string | undefined {
    if (event.type !== 'engine-event') return describe(event);
    const e = event.event;
    const key = `${e.deploymentId ?? ''}/${e.stage ?? ''}/${e.step ?? ''}`;
    const type = dataOf(e, 'type');
    if (e.type === 'step.started' && typeof type === 'string') this.stepTypes.set(key, type);
    if (e.type === 'step.succeeded' && this.stepTypes.get(key) === BAKE_TYPE) return undefined;
    return engineLine(e, event.bakeEndsAt, this.speed);
  }
}

function dataOf(e: EngineEvent, key: string): unknown {
  return fieldOf(e.data, key);
}

/** A field of a JSON object; `undefined` for anything else. */
function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function describe(event: Exclude<DemoEvent, { type: 'engine-event' }>): string | undefined {
  switch (event.type) {
    case 'sandbox-started':
      return `AWS sandbox on ${event.endpoint}: an organization of ${event.accounts} accounts, IAM enforced`;
    case 'server-started':
      return `Rampart server on ${event.url} (SQLite in a temporary directory)`;
    case 'repository-created':
      return `example repository ${event.dir}: commit ${short(event.commit.sha)} "${event.commit.message}"`;
    case 'bootstrap-stack':
      return `bootstrap: ${event.stackName} ${event.result} in ${event.accountId} ${event.region}`;
    case 'bootstrap-done':
      return `bootstrap: ${event.stacks} stacks ready; every stage has a role only its pipeline stage may assume`;
    case 'workload-ready':
      return `${event.stage}: ECS service web running v1 in ${event.accountId} ${event.region}, ${event.alarm === undefined ? 'no rollback alarm (no real traffic)' : `rollback alarm ${event.alarm} on its 5xx count`}`;
    case 'pipeline-registered':
      return `pipeline "${event.slug}" registered from the example repository`;
    case 'revision-committed':
      return `commit ${short(event.commit.sha)} "${event.commit.message}": the image changes to ${imageName(event.commit.image)}`;
    case 'image-marked-unhealthy':
      return `sandbox: tasks running ${imageName(event.image)} now answer with 5xx errors`;
    case 'release-requested':
      return `release revision ${event.revision}: commit ${short(event.commit.sha)} "${event.commit.message}"`;
    case 'server-notice':
      return `server: ${event.code} ${event.message}`;
    case 'scenario-finished':
      return undefined;
    default: {
      const never: never = event;
      return never;
    }
  }
}

function engineLine(
  e: EngineEvent,
  bakeEndsAt: string | undefined,
  speed: number,
): string | undefined {
  const where = `${e.revision === undefined ? '  ' : `r${e.revision}`} ${(e.stage ?? '').padEnd(7)}`;
  const data = (key: string): unknown => dataOf(e, key);
  switch (e.type) {
    case 'stage.started':
      return `${where} started`;
    case 'step.succeeded': {
      const arn = fieldOf(data('outputs'), 'task_definition_arn');
      return `${where} ${e.step ?? 'a step'} succeeded${typeof arn === 'string' ? `: service web runs ${arn.split('/').pop() ?? arn}` : ''}`;
    }
    case 'step.failed':
      return `${where} ${e.step ?? 'a step'} FAILED: ${String(data('code'))}: ${String(data('message'))}`;
    case 'step.started': {
      if (bakeEndsAt === undefined) return undefined;
      const minutes = Math.round((Date.parse(bakeEndsAt) - Date.parse(e.at)) / 60_000);
      const real = Math.round((minutes * 60) / speed);
      return `${where} baking ${minutes} demo minutes (${real} s here), watching the stage's alarm`;
    }
    case 'stage.succeeded':
      return `${where} succeeded`;
    case 'stage.failed':
      return `${where} FAILED: ${String(data('error'))}`;
    case 'stage.waiting':
      return data('reason') === 'blocked' ? `${where} waiting: the stage is blocked` : undefined;
    case 'stage.rolling_back':
      return `${where} rolling back to revision ${String(data('toRevision'))}`;
    case 'stage.rolled_back':
      return `${where} rolled back to revision ${String(data('toRevision'))}`;
    case 'rollback.succeeded':
      return `${where} rollback done: detected in ${seconds(data('timeToDetectMs'))}, restored in ${seconds(data('timeToRestoreMs'))} (demo time)`;
    case 'rollback.failed':
      return `${where} rollback FAILED: ${String(data('error'))}`;
    case 'alarm.state_changed':
      return data('from') === 'UNKNOWN'
        ? `   ${(e.stage ?? '').padEnd(7)} alarm ${String(data('alarm'))} is ${String(data('to'))}`
        : `   ${(e.stage ?? '').padEnd(7)} alarm ${String(data('alarm'))}: ${String(data('from'))} -> ${String(data('to'))}`;
    case 'blocker.added':
      return `   ${(e.stage ?? '').padEnd(7)} blocked by alarm ${String(data('alarm'))} (${String(data('alarmStage'))}): no revision may enter`;
    case 'blocker.removed':
      return `   ${(e.stage ?? '').padEnd(7)} unblocked: ${e.reason ?? 'the blocker was lifted'}`;
    case 'deployment.succeeded':
      return `revision ${e.revision ?? '?'} succeeded in every stage`;
    case 'deployment.rolled_back':
      return `revision ${e.revision ?? '?'} rolled back; it never reaches the stages after`;
    case 'deployment.failed':
      return `revision ${e.revision ?? '?'} FAILED`;
    case 'deployment.cancelled':
      return `revision ${e.revision ?? '?'} cancelled`;
    default:
      return undefined;
  }
}

/** The expected outcomes, one ✓ or ✗ each, and how long it took. */
export function renderSummary(run: Pick<DemoRun, 'outcome'>): string {
  const { outcome } = run;
  const lines = ['', 'Expected outcomes:'];
  for (const check of outcome.checks) {
    lines.push(`  ${check.ok ? '✓' : '✗'} ${check.expectation}`, `      ${check.detail}`);
  }
  const happened = outcome.checks.filter((c) => c.ok).length;
  lines.push(
    '',
    `${happened} of ${outcome.checks.length} expected outcomes happened, in ${(outcome.elapsedMs / 1000).toFixed(1)} s (${Math.round(outcome.demoMinutes)} demo minutes at ${outcome.speed}x).`,
  );
  return `${lines.join('\n')}\n`;
}

/** Where the server and the sandbox are, and what to try. */
export function renderExplore(
  run: Pick<
    DemoRun,
    | 'outcome'
    | 'serverUrl'
    | 'adminToken'
    | 'sandboxEndpoint'
    | 'sandboxAccounts'
    | 'configFile'
    | 'workDir'
  >,
): string {
  const prod = run.sandboxAccounts.find((a) => a.name === 'prod');
  return `
The server and the sandbox keep running; explore them (Ctrl-C stops both and removes
${run.workDir}).

  export RAMPART_CONFIG=${run.configFile}
  rampart status --pipeline web               # stages, blockers, alarms, rollbacks
  rampart status --pipeline web --revision 2  # the rolled-back revision
  rampart logs --pipeline web --revision 2    # what its steps wrote
  rampart release --pipeline web --wait --reason "try again"

  curl -H "authorization: Bearer ${run.adminToken}" \\
    ${run.serverUrl}/api/v1/pipelines/web/status

  API ${run.serverUrl}   admin token ${run.adminToken}
  AWS sandbox ${run.sandboxEndpoint}${
    prod === undefined
      ? ''
      : `; the prod account (${prod.id}) with the AWS CLI:
    AWS_ENDPOINT_URL=${run.sandboxEndpoint} AWS_ACCESS_KEY_ID=${prod.accessKeyId} \\
    AWS_SECRET_ACCESS_KEY=${prod.secretAccessKey} AWS_REGION=us-east-1 \\
    aws ecs describe-services --cluster web --services web`
  }

The demo clock keeps running ${run.outcome.speed} times faster than yours.
`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** `registry.example/acme/web@sha256:26d264df…` */
function imageName(image: string): string {
  const at = image.indexOf('@sha256:');
  return at < 0 ? image : `${image.slice(0, at + 8)}${image.slice(at + 8, at + 20)}…`;
}

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? `${Math.round(ms / 1000)} s` : '?';
}
