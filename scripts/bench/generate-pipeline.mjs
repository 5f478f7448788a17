// Generates a large pipeline for benchmarks: N stages × M steps with expressions, windows, skips.
export function generatePipeline({ stages = 200, steps = 40 } = {}) {
  const lines = [
    'version: "1.0.0"',
    'pipeline:',
    '  cloud_provider: AWS',
    '  stage_defaults:',
    '    deployment_time_window: PACIFIC_WORKING_HOURS',
    '    vars:',
    '      service: api',
    '      replicas: 2',
    '  stages:',
  ];
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
  for (let s = 0; s < stages; s++) {
    lines.push(
      `    - name: stage-${s}`,
      `      account_id: "${String(100000000000 + s)}"`,
      `      region: ${regions[s % regions.length]}`,
      `      auto_rollback_alarm_name: api-errors-${s}`,
      '      vars:',
      `        shard: ${s}`,
      `        domain: s${s}.example.com`,
    );
    if (s % 10 === 0) lines.push('      skip: ["Step 3"]');
  }
  lines.push('  steps:');
  for (let i = 0; i < steps; i++) {
    const after = i > 1 && i % 5 === 0 ? `      goes_after: ["Step ${i - 2}"]\n` : '';
    switch (i % 4) {
      case 0:
        lines.push(
          `    - name: Step ${i}`,
          `      id: s${i}`,
          '      type: RAMPART:TERRAFORM:SYNTHESIZE',
          after.trimEnd(),
          '      params:',
          '        source: infra',
          '        variables:',
          '          stage: ${{ stage.name }}',
          '          shard: ${{ vars.shard }}',
          '          key: ${{ secret("API_KEY") }}',
        );
        break;
      case 1:
        lines.push(
          `    - name: Step ${i}`,
          `      id: s${i}`,
          '      type: RAMPART:ECS:DEPLOY',
          after.trimEnd(),
          '      params:',
          '        cluster_name: ${{ vars.service }}-${{ stage.name }}',
          `        service_name: svc-${i}`,
          '        image_url: ${{ stage.artifacts["Api Image"].image_url }}',
        );
        break;
      case 2:
        lines.push(
          `    - name: Step ${i}`,
          `      id: s${i}`,
          '      type: RAMPART:SCRIPT:RUN',
          after.trimEnd(),
          '      params:',
          '        command: echo ${{ vars.domain }} ${{ trigger.sha }}',
          '        env:',
          '          REPLICAS: ${{ vars.replicas }}',
        );
        break;
      default:
        lines.push(
          `    - name: Step ${i}`,
          `      id: s${i}`,
          '      type: RAMPART:LAMBDA:DEPLOY',
          after.trimEnd(),
          '      params:',
          `        function_name: fn-${i}-\${{ stage.name }}`,
          '        s3_bucket: ${{ stage.artifacts["Api Bundle"].s3_bucket }}',
          '        s3_key: ${{ stage.artifacts["Api Bundle"].s3_key }}',
          '        alias: live',
        );
    }
  }
  lines.push(
    '  artifacts:',
    '    Api Image:',
    '      type: DOCKER:BUILD',
    '      params:',
    '        dockerfile: Dockerfile',
    '    Api Bundle:',
    '      type: BUNDLE:BUILD',
    '      params:',
    '        build_commands: make bundle',
    '        file_path: dist/api.zip',
  );
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}
