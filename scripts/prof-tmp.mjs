import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem, planPipeline, validateRepository } from '@rampart/core';
import { generatePipeline } from '/work/main/scripts/bench/generate-pipeline.mjs';
const dir = mkdtempSync(join(tmpdir(), 'rb-'));
mkdirSync(join(dir, '.rampart', 'big'), { recursive: true });
writeFileSync(join(dir, '.rampart', 'big', 'pipeline.yaml'), generatePipeline({}));
const organization = { name: 'Acme', slug: 'acme', cicd_account_id: '111111111111', cicd_account_region: 'us-east-1' };
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  const r = await validateRepository(dir, nodeFileSystem, { organization });
  const t1 = performance.now() - t; t = performance.now();
  planPipeline(r.pipelines[0].model, { inputs: { organization }, at: new Date('2026-12-01T18:00:00Z'), resolvedStages: r.pipelines[0].resolvedStages });
  console.log('validate', t1.toFixed(0), 'plan', (performance.now() - t).toFixed(0));
}
