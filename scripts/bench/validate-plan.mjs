// Benchmark: validate + plan of a generated 200-stage × 40-step pipeline, in process (target < 150 ms).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodeFileSystem, planPipeline, validateRepository } from '@rampart/core';
import { generatePipeline } from './generate-pipeline.mjs';

export async function run({ stages = 200, steps = 40, runs = 15 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-'));
  try {
    mkdirSync(join(dir, '.rampart', 'big'), { recursive: true });
    const text = generatePipeline({ stages, steps });
    writeFileSync(join(dir, '.rampart', 'big', 'pipeline.yaml'), text);
    const at = new Date('2026-12-01T18:00:00Z');
    const organization = {
      name: 'Acme',
      slug: 'acme',
      cicd_account_id: '111111111111',
      cicd_account_region: 'us-east-1',
    };
    const times = [];
    let stepPlans = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const result = await validateRepository(dir, nodeFileSystem, { organization });
      const model = result.pipelines[0]?.model;
      if (model === undefined)
        throw new Error(
          `generated pipeline is invalid: ${JSON.stringify(result.pipelines[0]?.errors.slice(0, 3))}`,
        );
      const plan = planPipeline(model, {
        inputs: { organization },
        at,
        resolvedStages: result.pipelines[0].resolvedStages,
      });
      times.push(performance.now() - t0);
      stepPlans = plan.stages.reduce((n, s) => n + s.steps.length, 0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const warm = times.slice(0, -1);
    console.log(
      `validate+plan ${stages} stages × ${steps} steps (${(text.length / 1024).toFixed(0)} KiB, ${stepPlans} step plans), ${runs} runs in process:`,
    );
    console.log(
      `  median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms (target < 150 ms)`,
    );
    void warm;
    return { median };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
