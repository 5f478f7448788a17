/**
 * A stand-in for the AWS a step changes: it records every effect, and does NOT deduplicate, so a
 * test counting effects per step attempt catches an executor that ran twice.
 */
import type { JsonValue } from '../ports/engine-store.js';

export interface CloudEffect {
  /** The step attempt (`journalKey`) or rollback step that caused it. */
  key: string;
  kind: 'deploy' | 'restore';
  stage: string;
  step: string;
  detail: JsonValue;
  /** What the effect returned (a fake ARN). */
  id: string;
}

export class FakeCloud {
  readonly effects: CloudEffect[] = [];

  apply(effect: Omit<CloudEffect, 'id'>): string {
    const id = `arn:fake:${this.effects.length + 1}`;
    this.effects.push({ ...effect, id });
    return id;
  }

  /** How many effects each key caused. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.effects) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
    return counts;
  }

  /** Effects on one stage, in order. */
  on(stage: string): CloudEffect[] {
    return this.effects.filter((e) => e.stage === stage);
  }
}
