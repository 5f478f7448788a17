/**
 * The secrets a frozen plan references (steps, vars and artifact builds; stage secrets per stage),
 * and the check made when a deployment is requested: one that references a secret that is not
 * set is refused before its first stage.
 */
import { RampartError } from '@rampart/core';
import { secretReferences, type DeploymentPlan, type JsonValue } from '@rampart/engine';
import type { SecretRef } from '@rampart/store';
import { describeSecret, type SecretsService } from './secrets-service.js';

/** Each secret `plan` references, once: stage secrets with the stage that uses them. */
export function planSecretRefs(plan: DeploymentPlan): SecretRef[] {
  const found = new Map<string, SecretRef>();
  const add = (used: JsonValue, stage: string | undefined) => {
    for (const reference of secretReferences(used)) {
      // Builds into the CI/CD account have no stage: core refuses stage_secret() there.
      const ref: SecretRef =
        reference.scope === 'organization' || stage === undefined
          ? { name: reference.name, scope: 'organization' }
          : { name: reference.name, scope: 'stage', stage };
      found.set(`${ref.scope}:${ref.stage ?? ''}:${ref.name}`, ref);
    }
  };
  // Artifact builds run before the first stage (per-stage ones in their stage).
  add(
    (plan.artifacts ?? []).map((a) => a.params),
    undefined,
  );
  for (const stage of plan.stages) {
    add(
      {
        vars: stage.vars,
        steps: stage.steps.filter((s) => !s.skipped).map((s) => s.params),
        builds: stage.artifacts.flatMap((a) => (a.build === undefined ? [] : [a.build.params])),
      },
      stage.name,
    );
  }
  return [...found.values()];
}

/** Throws `SECRET_MISSING` naming every secret `plan` references that is not set. */
export async function requirePlanSecrets(
  secrets: SecretsService,
  plan: DeploymentPlan,
  pipeline: string,
): Promise<void> {
  const missing = await secrets.missing(planSecretRefs(plan));
  if (missing.length === 0) return;
  const first = missing[0] as SecretRef;
  throw new RampartError(
    'SECRET_MISSING',
    `pipeline "${pipeline}" references ${missing.length === 1 ? 'a secret that is' : `${missing.length} secrets that are`} not set: ${missing.map(describeSecret).join(', ')}`,
    {
      hint: `Set ${missing.length === 1 ? 'it' : 'each'} (rampart secrets set ${first.name}${first.scope === 'stage' ? ` --stage ${first.stage ?? ''}` : ''}), then release again.`,
    },
  );
}
