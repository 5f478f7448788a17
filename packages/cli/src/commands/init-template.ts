/** The commented starter pipeline `rampart init` writes. */

export function starterPipeline(options: { devramps: boolean }): string {
  const t = options.devramps ? 'DEVRAMPS' : 'RAMPART';
  return `# Rampart pipeline: one revision moves through the stages below, one stage at a time.
# Format reference: docs/format.md. Check this file with \`rampart validate\`,
# see what each stage would do with \`rampart plan\`.
version: "1.0.0"

pipeline:
  cloud_provider: AWS
  # Branch whose pushes start deployments.
  tracks: main
  # ALWAYS | NEVER | DESTRUCTIVE_CHANGES_ONLY: approve changes to this file before they apply.
  pipeline_updates_require_approval: NEVER

  # Values every stage inherits; a stage's own keys win.
  stage_defaults:
    deployment_time_window: NONE        # or PACIFIC_WORKING_HOURS, PACIFIC_WORKING_HOURS_REDUCED
    vars:
      log_level: info

  # Deployment targets, in order. Quote account ids: YAML drops leading zeros of numbers.
  stages:
    - name: staging
      account_id: "111111111111"        # replace with your staging account
      region: us-east-1
      vars:
        instance_count: 1
    - name: prod
      account_id: "222222222222"        # replace with your production account
      region: us-east-1
      deployment_time_window: PACIFIC_WORKING_HOURS
      # A CloudWatch alarm in the prod account; ALARM during the stage rolls it back.
      auto_rollback_alarm_name: app-errors
      vars:
        instance_count: 3

  # Steps run in every stage, each after the one above it unless goes_after says otherwise.
  steps:
    - name: Smoke test
      id: smoke
      type: ${t}:SCRIPT:RUN
      params:
        command: echo "deploying \${{ trigger.sha }} to \${{ stage.name }} (\${{ vars.instance_count }} instances)"
    - name: Bake
      type: ${t}:APPROVAL:BAKE
      params:
        duration_minutes: 10
`;
}
