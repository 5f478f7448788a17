/**
 * The catalog of stable error codes. A code never changes meaning once released; docs/errors.md is
 * generated from this table (`npm run docs:errors`) and a test keeps the two in step.
 */
export interface ErrorCodeInfo {
  /** Which part of Rampart reports it. */
  area:
    'file' | 'yaml' | 'schema' | 'pipeline' | 'expression' | 'window' | 'config' | 'cli' | 'system';
  /** One line: what went wrong. */
  summary: string;
  /** What usually fixes it. */
  fix: string;
}

export const errorCodes = {
  // files and discovery
  FILE_NOT_FOUND: {
    area: 'file',
    summary: 'A path given on the command line does not exist.',
    fix: 'Check the path; pass a repository root or a pipeline.yaml file.',
  },
  FILE_UNREADABLE: {
    area: 'file',
    summary: 'A file exists but cannot be read (permissions or I/O error).',
    fix: 'Fix the file permissions (`chmod u+r FILE`).',
  },
  FILE_IS_DIRECTORY: {
    area: 'file',
    summary: 'A pipeline file path names a directory.',
    fix: 'Put the pipeline in `<folder>/pipeline.yaml`, or pass the repository root.',
  },
  FILE_TOO_LARGE: {
    area: 'file',
    summary: 'A pipeline or policy file is larger than the 1 MiB limit.',
    fix: 'Split the pipeline into several pipelines; generated files this large are almost always a mistake.',
  },
  FILE_NOT_UTF8: {
    area: 'file',
    summary: 'A file holds bytes that are not valid UTF-8.',
    fix: 'Re-save the file as UTF-8 (`iconv -f LATIN1 -t UTF-8`).',
  },
  FILE_EMPTY: {
    area: 'file',
    summary: 'A pipeline file is empty or holds only comments.',
    fix: 'Write a pipeline (`rampart init`), or delete the file.',
  },
  NO_PIPELINES: {
    area: 'file',
    summary: 'No pipeline files were found under the given folder.',
    fix: 'Create `.rampart/<slug>/pipeline.yaml` (`rampart init`), or pass the repository root.',
  },
  DUPLICATE_SLUG: {
    area: 'file',
    summary: 'The same pipeline slug exists in both `.rampart/` and `.devramps/`.',
    fix: 'Keep one of the two folders.',
  },
  SLUG_INVALID: {
    area: 'file',
    summary: 'A pipeline folder name is not a valid slug.',
    fix: 'Rename the folder to lowercase letters, digits and hyphens, starting with a letter or digit.',
  },
  // YAML
  YAML_SYNTAX: {
    area: 'yaml',
    summary: 'The file is not valid YAML.',
    fix: 'Fix the syntax at the position shown.',
  },
  YAML_TAB_INDENT: {
    area: 'yaml',
    summary: 'A tab character is used for indentation.',
    fix: 'Indent with spaces only.',
  },
  YAML_DUPLICATE_KEY: {
    area: 'yaml',
    summary: 'A mapping holds the same key twice.',
    fix: 'Remove or rename one of the two keys; YAML keeps only one of them.',
  },
  YAML_ALIAS_LIMIT: {
    area: 'yaml',
    summary: 'The file expands too many aliases (a possible alias bomb).',
    fix: 'Write the values out, or use fewer `*alias` references.',
  },
  YAML_TOO_DEEP: {
    area: 'yaml',
    summary: 'Values are nested deeper than the limit of 64 levels.',
    fix: 'Flatten the structure.',
  },
  YAML_MULTIPLE_DOCUMENTS: {
    area: 'yaml',
    summary: 'The file holds more than one YAML document (`---`).',
    fix: 'Keep one pipeline per file.',
  },
  YAML_NOT_A_MAPPING: {
    area: 'yaml',
    summary: 'The top level of the file is not a mapping.',
    fix: 'Start the file with `version:` and `pipeline:` keys.',
  },
  // schema
  SCHEMA_UNKNOWN_KEY: {
    area: 'schema',
    summary: 'A key is not part of the format at that place.',
    fix: 'Use the suggested key, or remove it.',
  },
  SCHEMA_MISSING_KEY: {
    area: 'schema',
    summary: 'A required key is missing.',
    fix: 'Add the key named in the message.',
  },
  SCHEMA_INVALID_TYPE: {
    area: 'schema',
    summary: 'A value has the wrong type (a list where a map is expected, …).',
    fix: 'Change the value to the type named in the message.',
  },
  SCHEMA_INVALID_VALUE: {
    area: 'schema',
    summary: 'A value is not one of the allowed values or is out of range.',
    fix: 'Use one of the values listed in the message.',
  },
  SCHEMA_CONFLICTING_KEYS: {
    area: 'schema',
    summary: 'Two keys that mean the same thing are both present (an older and a modern shape).',
    fix: 'Keep only the modern key.',
  },
  SCHEMA_DEPRECATED: {
    area: 'schema',
    summary: 'Warning: an older shape of the format is used; it still works.',
    fix: 'Rewrite it in the modern form shown.',
  },
  VERSION_UNSUPPORTED: {
    area: 'schema',
    summary: 'The `version` of the pipeline file is not one this Rampart reads.',
    fix: 'Set `version: "1.0.0"`.',
  },
  // pipeline semantics
  STAGE_NAME_INVALID: {
    area: 'pipeline',
    summary: 'A stage name is not lowercase letters, digits and hyphens.',
    fix: 'Rename the stage, e.g. `prod-us-east-1`.',
  },
  STAGE_DUPLICATE: {
    area: 'pipeline',
    summary: 'Two stages (or a stage and an ephemeral environment) share a name.',
    fix: 'Give each stage a unique name.',
  },
  ACCOUNT_ID_INVALID: {
    area: 'pipeline',
    summary: 'An AWS account id is not exactly 12 digits.',
    fix: 'Write the 12-digit id in quotes: `account_id: "012345678901"`.',
  },
  ACCOUNT_ID_UNQUOTED: {
    area: 'pipeline',
    summary: 'An account id was written as a YAML number and lost its leading zeros.',
    fix: 'Quote account ids in YAML.',
  },
  REGION_UNKNOWN: {
    area: 'pipeline',
    summary: 'A region is not a known AWS region code.',
    fix: 'Use a region code such as `us-east-1`.',
  },
  STEP_DUPLICATE: {
    area: 'pipeline',
    summary: "Two steps share a name or id, or an id equals another step's name.",
    fix: 'Give each step a unique name and id.',
  },
  STEP_ID_INVALID: {
    area: 'pipeline',
    summary: 'A step id is not usable in expressions.',
    fix: 'Use letters, digits, `_` and `-`, starting with a letter.',
  },
  STEP_TYPE_UNKNOWN: {
    area: 'pipeline',
    summary: 'A step or artifact type is not known.',
    fix: 'Use a type from docs/format.md (`RAMPART:<GROUP>:<NAME>`), or `CUSTOM:<NAME>` for a custom step.',
  },
  STEP_TYPE_PLANNED: {
    area: 'pipeline',
    summary: 'A step type is reserved in the format but not available yet.',
    fix: 'Use a SCRIPT:RUN step or a custom step until the type ships.',
  },
  STEP_REFERENCE_UNKNOWN: {
    area: 'pipeline',
    summary: '`goes_after` or `skip` names a step that does not exist.',
    fix: 'Use the name or id of a step in `steps:`.',
  },
  STEP_CYCLE: {
    area: 'pipeline',
    summary: 'Steps depend on each other in a cycle through `goes_after`.',
    fix: 'Remove one of the `goes_after` entries listed.',
  },
  STAGE_ALL_STEPS_SKIPPED: {
    area: 'pipeline',
    summary: 'Warning: a stage skips every step.',
    fix: 'Remove the stage or some of its `skip` entries.',
  },
  ARTIFACT_DUPLICATE: {
    area: 'pipeline',
    summary: 'Two artifacts have the same id.',
    fix: 'Rename one, or give it an explicit `id`.',
  },
  WINDOW_UNKNOWN: {
    area: 'window',
    summary:
      'A deployment time window name is neither a preset nor defined in `deployment_time_windows`.',
    fix: 'Use NONE, PACIFIC_WORKING_HOURS, PACIFIC_WORKING_HOURS_REDUCED or define the window.',
  },
  WINDOW_INVALID: {
    area: 'window',
    summary: 'A custom deployment time window is malformed.',
    fix: 'See the window object in docs/format.md.',
  },
  TIMEZONE_UNKNOWN: {
    area: 'window',
    summary: 'A time zone is not a known IANA name.',
    fix: 'Use a name such as `Europe/Berlin` or `America/New_York`.',
  },
  EPHEMERAL_INVALID: {
    area: 'pipeline',
    summary:
      'An ephemeral environment is missing a field or sets one that does not fit its triggers.',
    fix: 'See the ephemeral environment section of docs/format.md.',
  },
  POLICY_INVALID: {
    area: 'pipeline',
    summary: 'An additional IAM policy document is malformed.',
    fix: 'Write a list of IAM policy documents with `Effect`, `Action` and `Resource` in each statement.',
  },
  RESOURCE_NAME_INVALID: {
    area: 'pipeline',
    summary:
      'A name Rampart derives for an AWS resource or a token subject is empty, too short, reserved, or holds a separator.',
    fix: 'Rename the pipeline folder, stage or artifact named in the message (letters, digits and hyphens).',
  },
  STEP_PARAMS_INVALID: {
    area: 'pipeline',
    summary: 'The params of a step or artifact do not match its type.',
    fix: 'Fix the param named in the message; `rampart schema` lists the params of every type.',
  },
  IAM_POLICY_TOO_LARGE: {
    area: 'pipeline',
    summary:
      "A stage role's policies are larger than IAM accepts (a statement over 6,144 characters, or more managed policies than a role takes).",
    fix: 'Narrow aws_additional_iam_policies (wildcard actions such as `ecs:*` are shorter), or raise the "Managed policies per role" quota.',
  },
  // expressions
  EXPR_SYNTAX: {
    area: 'expression',
    summary: 'An expression `${{ … }}` is not well formed.',
    fix: 'Fix the expression at the column shown.',
  },
  EXPR_UNTERMINATED: {
    area: 'expression',
    summary: 'An expression starts with `${{` but has no closing `}}`.',
    fix: 'Close the expression with `}}`.',
  },
  EXPR_TOO_LONG: {
    area: 'expression',
    summary: 'An expression is longer than 4096 characters.',
    fix: 'Shorten the expression; move values into `vars`.',
  },
  EXPR_UNKNOWN_OBJECT: {
    area: 'expression',
    summary: 'An expression names an object that does not exist.',
    fix: 'Use stage, pipeline, organization, trigger, vars or steps.',
  },
  EXPR_UNKNOWN_KEY: {
    area: 'expression',
    summary: 'An expression reads a key that the object does not have.',
    fix: 'Use one of the keys listed in the message.',
  },
  EXPR_UNKNOWN_FUNCTION: {
    area: 'expression',
    summary: 'An expression calls a function that does not exist.',
    fix: 'Use `secret("NAME")` or `stage_secret("NAME")`.',
  },
  EXPR_BAD_ARGUMENTS: {
    area: 'expression',
    summary: 'A function is called with the wrong arguments.',
    fix: 'Pass one string literal: `secret("NAME")`.',
  },
  EXPR_UNKNOWN_ARTIFACT: {
    area: 'expression',
    summary: 'An expression names an artifact that is not defined.',
    fix: 'Use the name or id of an artifact under `artifacts:`.',
  },
  EXPR_UNKNOWN_VAR: {
    area: 'expression',
    summary: 'An expression reads a var that the stage does not define.',
    fix: 'Define the var in the stage or in `stage_defaults.vars`.',
  },
  EXPR_UNKNOWN_STEP: {
    area: 'expression',
    summary: '`steps.<id>` names a step that does not exist.',
    fix: 'Use the id (or name) of a step in `steps:`.',
  },
  EXPR_STEP_NOT_UPSTREAM: {
    area: 'expression',
    summary: '`steps.<id>` names a step that does not run before this one.',
    fix: 'Add the step to `goes_after` (directly or through another step).',
  },
  EXPR_UNKNOWN_OUTPUT: {
    area: 'expression',
    summary: 'An expression reads an output that the step type does not produce.',
    fix: 'Use one of the outputs listed in the message.',
  },
  EXPR_NOT_ALLOWED: {
    area: 'expression',
    summary:
      'An expression is used where expressions are not evaluated, or reads something not known there.',
    fix: 'Write a literal value; expressions work in step params, artifact params and envs, and vars.',
  },
  EXPR_TYPE: {
    area: 'expression',
    summary: 'An expression applies an operation to a value of the wrong type.',
    fix: 'Read a key of an object, not of a string or number.',
  },
  // configuration
  CONFIG_NOT_FOUND: {
    area: 'config',
    summary:
      'The control-plane config file given with `--config` or RAMPART_CONFIG does not exist.',
    fix: 'Check the path, or omit the flag to use `rampart.config.yaml`.',
  },
  CONFIG_INVALID: {
    area: 'config',
    summary: 'The control-plane configuration is malformed.',
    fix: 'Fix the key named in the message; see docs/configuration.md.',
  },
  SIGNING_KEYS_UNREADABLE: {
    area: 'config',
    summary:
      'The encrypted OIDC signing keys (`keys.json` in `data_dir`) cannot be read: another master key wrote them, or the file was modified.',
    fix: 'Configure the master key the keys were written with (`master_key`, `master_key_file` or `data_dir/master.key`). If it is lost, move keys.json away and run `rampart oidc rotate` (and `rampart oidc publish` when you publish the documents).',
  },
  // command line
  USAGE: {
    area: 'cli',
    summary: 'A command was called with unknown or missing flags or arguments.',
    fix: 'Run the command with `--help`.',
  },
  // command line: the API client (release, status, logs, operations, pipelines, tokens)
  CLIENT_SERVER_URL_INVALID: {
    area: 'cli',
    summary:
      'The server address (`--server` or RAMPART_SERVER_URL) is not an http:// or https:// URL.',
    fix: 'Pass the address `rampart server` prints, e.g. `--server http://127.0.0.1:8080`.',
  },
  CLIENT_SERVER_UNREACHABLE: {
    area: 'cli',
    summary:
      'The CLI cannot connect to the Rampart server (connection refused, unknown host, or the connection dropped for good).',
    fix: 'Start `rampart server`, or point the CLI at it with `--server URL` or RAMPART_SERVER_URL.',
  },
  CLIENT_TOKEN_MISSING: {
    area: 'cli',
    summary:
      'A command that calls the server found no API token: RAMPART_TOKEN, `--token-file` and `admin_token` are all unset. Tokens are never accepted as flags (they would land in shell history).',
    fix: 'Set RAMPART_TOKEN, or pass `--token-file FILE`; an admin creates tokens with `rampart tokens create`.',
  },
  CLIENT_TOKEN_FILE_UNREADABLE: {
    area: 'cli',
    summary: 'The file given with `--token-file` does not exist, cannot be read, or is empty.',
    fix: 'Check the path and its permissions; the file holds the token on its first line.',
  },
  CLIENT_TOKEN_REFUSED: {
    area: 'cli',
    summary:
      "The server refused the API token: unknown, revoked or expired (401), or its role may not do this (403). The message quotes the server's code.",
    fix: 'Use a live token with the role named in the message; an admin lists and creates tokens with `rampart tokens`.',
  },
  CLIENT_REQUEST_REFUSED: {
    area: 'cli',
    summary:
      "The server refused the request (a 4xx answer): the message quotes the server's code (`PIPELINE_NOT_REGISTERED`, `STAGE_BUSY`, …) and the hint is the server's.",
    fix: 'Follow the hint; the codes are in docs/errors.md and docs/api.md.',
  },
  CLIENT_SERVER_FAILED: {
    area: 'cli',
    summary: 'The server failed to answer (a 5xx answer); the details are in the server log.',
    fix: "Read the server's log for the request; retry once the cause is fixed.",
  },
  CLIENT_RESPONSE_INVALID: {
    area: 'cli',
    summary:
      'The server answered with something that is not the API response the CLI expects (another program on that port, or a server of another Rampart version).',
    fix: 'Check that `--server` points at `rampart server`, and use the CLI of the same Rampart version as the server.',
  },
  CLIENT_NO_PIPELINES: {
    area: 'cli',
    summary:
      'A command needs a pipeline, none was named with `--pipeline`, and the server has none registered.',
    fix: 'Register one with `rampart pipelines add --slug SLUG --path DIR` (or `--git URL`).',
  },
  CLIENT_APPROVAL_NOT_FOUND: {
    area: 'cli',
    summary:
      '`rampart approvals show` found no pending approval with that id, or none for that deployment (it was decided, timed out, or never asked).',
    fix: 'List what waits with `rampart approvals list`; a decided approval shows in `rampart status --revision N`.',
  },
  // store (the control plane's database)
  STORE_URL_INVALID: {
    area: 'config',
    summary:
      '`database_url` is not a PostgreSQL URL (`postgres://` or `postgresql://`) or cannot be parsed.',
    fix: 'Write `postgres://USER:PASSWORD@HOST:5432/DATABASE`, or remove `database_url` to use SQLite in `data_dir`.',
  },
  STORE_UNREACHABLE: {
    area: 'system',
    summary:
      'The PostgreSQL server named by `database_url` cannot be reached, refused the login, or has no such database.',
    fix: 'Start the server or fix the host and port; check the user, password and database name in `database_url` (`createdb NAME` creates a missing database).',
  },
  STORE_FILE_UNUSABLE: {
    area: 'system',
    summary:
      'The SQLite database in `data_dir` cannot be created or opened (permissions, a full disk, or not a database file).',
    fix: 'Make `data_dir` writable by the server (`chmod u+rwx DIR`), or point `data_dir` at another folder.',
  },
  STORE_SCHEMA_TOO_NEW: {
    area: 'system',
    summary:
      'The database was written by a newer Rampart: its schema version is above the newest this version knows.',
    fix: 'Upgrade Rampart to the version that wrote the database (migrations only move forward).',
  },
  STORE_MIGRATION_FAILED: {
    area: 'system',
    summary: 'A schema migration failed; the database keeps its previous schema version.',
    fix: 'Read the database error in the message and fix its cause (disk space, permissions), then start Rampart again.',
  },
  STORE_BUSY: {
    area: 'system',
    summary:
      'The SQLite database stayed locked by another process for longer than the busy timeout.',
    fix: 'Run one Rampart server per SQLite `data_dir`; several servers need PostgreSQL (`database_url`).',
  },
  STORE_VALUE_UNSUPPORTED: {
    area: 'system',
    summary:
      'A value cannot be stored: a time that is not an ISO date, a bad number, or text holding U+0000 or an unpaired surrogate.',
    fix: 'Report it with the command and the output: Rampart passed the store a value it cannot hold.',
  },
  STORE_PIPELINE_EXISTS: {
    area: 'system',
    summary: 'A pipeline with this slug is already registered.',
    fix: 'Pick another slug, or remove the registered pipeline first.',
  },
  STORE_TOKEN_NAME_TAKEN: {
    area: 'system',
    summary: 'An API token with this name exists and is not revoked.',
    fix: 'Choose another name, or revoke the existing token first.',
  },
  // system
  ISSUER_PUBLISH_FAILED: {
    area: 'system',
    summary:
      'Writing the OIDC discovery document or key set to S3 (`rampart oidc publish`) failed.',
    fix: 'Check the bucket name and region, and that your AWS credentials may `s3:PutObject` on it; the message quotes the S3 error.',
  },
  SERVER_LISTEN_FAILED: {
    area: 'system',
    summary: 'The server cannot listen on its address (port in use, or not allowed).',
    fix: 'Stop the other process on that port, or choose another address with `listen:` or `--listen HOST:PORT`.',
  },
  TOKEN_LIFETIME_INVALID: {
    area: 'system',
    summary: 'An OIDC token was requested with a lifetime outside 1 to 600 seconds.',
    fix: 'Request at most 10 minutes; credentials are refreshed with new tokens instead of long-lived ones.',
  },
  AWS_CREDENTIALS_FAILED: {
    area: 'system',
    summary:
      'STS refused or failed to issue credentials for a stage role (AssumeRoleWithWebIdentity), or no caller credentials were found.',
    fix: 'Run `rampart bootstrap --check` for the stage account; make sure AWS can reach the issuer URL (`rampart oidc publish` when it cannot). The message quotes the STS error.',
  },
  ACCOUNT_UNREACHABLE: {
    area: 'system',
    summary: 'Bootstrap could not assume any administration role in an account.',
    fix: 'Name a role your credentials may assume in that account with `--target-account-role-name NAME`, or run bootstrap with credentials of that account.',
  },
  STACK_DEPLOY_FAILED: {
    area: 'system',
    summary: 'A bootstrap CloudFormation stack failed to create or update.',
    fix: 'Read the failed resource and its status reason in the message, fix the cause, and run `rampart bootstrap` again: it resumes where it stopped.',
  },
  SOURCE_UNAVAILABLE: {
    area: 'system',
    summary: "A registered pipeline's repository cannot be read or fetched.",
    fix: 'Check the path or git URL of the registration and that the server can reach it without a password prompt; register the pipeline again if it moved.',
  },
  SOURCE_REVISION_NOT_FOUND: {
    area: 'system',
    summary: "The commit or branch a release names does not exist in the pipeline's repository.",
    fix: 'Push the commit or branch first, or pass an existing one with `--sha` / `--branch`.',
  },
  ECS_SERVICE_NOT_FOUND: {
    area: 'system',
    summary:
      'An ECS:DEPLOY step names a cluster or service that does not exist (or is not ACTIVE) in the stage account and region.',
    fix: 'Create the service first (for example in a Terraform step that runs before it), or correct `cluster_name` / `service_name`.',
  },
  ECS_CONTAINER_NOT_FOUND: {
    area: 'system',
    summary:
      'An ECS:DEPLOY step cannot tell which container of the task definition gets the new image.',
    fix: 'Set `container_name` to one of the containers the message lists.',
  },
  ECS_DEPLOYMENT_FAILED: {
    area: 'system',
    summary:
      'The ECS service rollout failed (circuit breaker) or did not complete within the step timeout.',
    fix: 'Read the service events quoted in the step log (image pull errors, failing health checks); fix the image or task definition and deploy again.',
  },
  TERRAFORM_STATE_LOCKED: {
    area: 'system',
    summary:
      "A TERRAFORM:SYNTHESIZE step found the stage's Terraform state locked by another run (its `.tflock` object).",
    fix: 'Wait for the other run and retry the stage; if it is gone for good, run `terraform force-unlock <ID>` with the lock ID from the message, or delete the `.tflock` object it names.',
  },
  TERRAFORM_STATE_UNAVAILABLE: {
    area: 'system',
    summary:
      "A TERRAFORM:SYNTHESIZE step cannot write the stage's state in the organization's state bucket (missing bucket, or the stage role or bucket policy does not grant it).",
    fix: 'Run `rampart bootstrap` (the org stack creates the bucket and its policy, the stage stack the role policy); the message quotes the S3 error.',
  },
  TERRAFORM_COMMAND_FAILED: {
    area: 'system',
    summary:
      'terraform init, plan, apply or output failed in a TERRAFORM:SYNTHESIZE step, or terraform is not installed.',
    fix: "Read terraform's error quoted in the message and the step log, fix the configuration or its variables, and deploy again; install terraform 1.10 or later on the control plane when it is missing.",
  },
  TERRAFORM_NO_ORGANIZATION: {
    area: 'system',
    summary:
      'A TERRAFORM:SYNTHESIZE step ran on a control plane without an organization, so there is no Terraform state bucket to keep its state in.',
    fix: 'Set `organization` (slug, cicd_account_id, cicd_account_region) in rampart.config.yaml, run `rampart bootstrap`, restart the server and retry the stage.',
  },
  STEP_REGISTRY_UNAVAILABLE: {
    area: 'system',
    summary:
      'A step registry in `step_registries` cannot be read: the folder is missing or has no package.json with the `build-step-registry` and `start-step-registry` scripts, or the git repository or ref cannot be fetched.',
    fix: 'Correct the `path` (relative to the config file) or the `git` URL and `ref` in `step_registries`, make sure the server can fetch it without a password prompt, and restart the server.',
  },
  STEP_REGISTRY_BUILD_FAILED: {
    area: 'system',
    summary:
      "A step registry's `npm run build-step-registry` failed or ran too long when the server started.",
    fix: "Read the build's last lines in the message, fix the registry's build (it must install its own dependencies), and restart the server.",
  },
  STEP_REGISTRY_METADATA_INVALID: {
    area: 'system',
    summary:
      'A step registry\'s metadata (`start-step-registry --input \'{"job":"SYNTHESIZE-METADATA"}\'`) failed, wrote no valid result, named a type twice (also across registries), or gave a params schema that does not compile.',
    fix: "Run the metadata job by hand in the built registry and fix what the message names; see docs/custom-steps.md for the result's shape.",
  },
  // artifacts: images between registries, bundles between buckets (`rampart mirror`)
  IMAGE_REFERENCE_INVALID: {
    area: 'cli',
    summary:
      'An image reference is not `registry/repository[:tag][@digest]` (no registry host, upper-case letters, a bad tag or digest), or names neither a tag nor a digest where one is needed.',
    fix: 'Write the registry host first, e.g. `127.0.0.1:5000/team/app:v1` or `registry-1.docker.io/library/nginx@sha256:…`.',
  },
  REGISTRY_UNAUTHORIZED: {
    area: 'system',
    summary:
      'A registry refused the credentials (401): none were given, or the user, password or token is wrong or expired.',
    fix: 'Pass `--src-creds` / `--dest-creds USER:PASSWORD` (or RAMPART_MIRROR_SRC_CREDS / RAMPART_MIRROR_DEST_CREDS); for ECR the user is AWS and the password is `aws ecr get-login-password` (valid 12 hours).',
  },
  REGISTRY_DENIED: {
    area: 'system',
    summary:
      "A registry accepted the credentials but refused the operation (403): the principal may not pull from or push to that repository. The message quotes the registry's reason.",
    fix: 'Grant the actions named in the message to the principal (for ECR, its IAM policy and, across accounts, the repository policy), or use credentials that have them.',
  },
  REGISTRY_NOT_FOUND: {
    area: 'system',
    summary: 'A registry has no such repository, tag or manifest (404).',
    fix: 'Check the repository name and the tag or digest; create the destination repository first (ECR does not create repositories on push).',
  },
  REGISTRY_REJECTED: {
    area: 'system',
    summary:
      "A registry refused a request as invalid (a 4xx answer other than 401, 403, 404 and 429): an immutable tag, an unsupported manifest, a size limit. The message quotes the registry's code.",
    fix: "Read the registry's code in the message: TAG_INVALID means the tag is immutable there (push a new tag); MANIFEST_INVALID or UNSUPPORTED means the registry does not take this kind of image.",
  },
  REGISTRY_THROTTLED: {
    area: 'system',
    summary: 'A registry kept answering 429 Too Many Requests after every retry.',
    fix: 'Lower `--concurrency`, wait a minute and run the same command again: what was copied is kept and skipped.',
  },
  REGISTRY_UNAVAILABLE: {
    area: 'system',
    summary:
      'A registry could not be reached (connection refused, reset, DNS) or kept failing with 5xx after every retry.',
    fix: 'Check the host and port (and `--insecure` for a plain-HTTP registry); when it is up again, run the same command: copied blobs are skipped.',
  },
  MANIFEST_UNSUPPORTED: {
    area: 'system',
    summary:
      'An image manifest is not an OCI or Docker v2 schema 2 manifest or index (Docker schema 1, an unknown media type, or not JSON).',
    fix: 'Re-push the image with a current tool (docker, buildah, skopeo) so that it is stored as schema 2 or OCI.',
  },
  ARTIFACT_DIGEST_MISMATCH: {
    area: 'system',
    summary:
      'The content read from the source does not match its digest or recorded SHA-256 (a manifest, a blob size, a bundle checksum), so nothing was written from it.',
    fix: 'The source changed during the copy or is corrupt: run the command again; if it persists, rebuild and push the artifact.',
  },
  MIRROR_CANCELLED: {
    area: 'system',
    summary: 'A mirror was cancelled (Ctrl-C or a stop) before it finished.',
    fix: 'Run the same command again: blobs that were copied are found by HEAD and skipped.',
  },
  BUNDLE_NOT_FOUND: {
    area: 'system',
    summary: 'The source bucket or object of a bundle mirror does not exist.',
    fix: 'Check the bucket name and key of the bundle as built in the CI/CD account.',
  },
  BUNDLE_ACCESS_DENIED: {
    area: 'system',
    summary:
      'S3 refused to read the source bundle or to write the destination (AccessDenied): the credentials lack `s3:GetObject` or `s3:PutObject`, or a bucket policy denies it.',
    fix: 'Grant `s3:GetObject` on the source key (the bucket policy across accounts) and `s3:PutObject` on the destination key.',
  },
  BUNDLE_MIRROR_FAILED: {
    area: 'system',
    summary:
      "Copying a bundle between buckets failed for another reason; the message quotes S3's error.",
    fix: "Read S3's error code in the message; run the mirror again once its cause is fixed (a source that changed during the copy is read again).",
  },
  ARTIFACT_MIRROR_SOURCE_MISSING: {
    area: 'system',
    summary:
      "A stage's mirroring phase found no CI/CD copy to mirror an artifact from: the deployment holds no build result for it (`image_url` and `image_digest`, or `s3_bucket`, `s3_key` and `sha256`), or the stage's copy names no repository or bucket.",
    fix: 'Deploy the revision again so that its artifacts are built; if it persists, report it with the deployment id (the plan and the build results disagree).',
  },
  // artifacts: builds and imports (DOCKER:BUILD, BUNDLE:BUILD, DOCKER:IMPORT, BUNDLE:IMPORT)
  ARTIFACT_PARAMS_INVALID: {
    area: 'pipeline',
    summary:
      'An artifact reached the builder with a type it does not know or params it cannot use (a missing `dockerfile`, `build_commands`, `file_path` or source, a path outside the repository).',
    fix: 'Fix the artifact in pipeline.yaml (`rampart validate` names the key) and deploy again.',
  },
  ARTIFACT_SECRETS_UNSUPPORTED: {
    area: 'pipeline',
    summary:
      "An artifact's params hold a `[SECRET:X]` marker, and this control plane cannot resolve secrets in builds, or a secret it names does not exist.",
    fix: 'Remove the secret from the artifact params (pass it at runtime instead), or create the secret and configure the control plane with secrets.',
  },
  ARTIFACT_BUILDER_UNAVAILABLE: {
    area: 'system',
    summary:
      'A DOCKER:BUILD needs buildah or a reachable Docker engine on the control plane, and neither is there (or the one configured is missing).',
    fix: 'Install buildah on the control plane host (`apt-get install buildah`), or start Docker with buildx, or set the image builder to the one that is installed.',
  },
  ARTIFACT_BUILD_FAILED: {
    area: 'pipeline',
    summary:
      'A build command failed: `build_commands` of a BUNDLE:BUILD, or buildah or docker building or pushing a DOCKER:BUILD. The message ends with the last lines of the build log.',
    fix: 'Read the last log lines in the message (the whole log is in the deployment), fix the build in the repository, and deploy again.',
  },
  ARTIFACT_BUILD_CANCELLED: {
    area: 'system',
    summary:
      'A build or import was stopped because its deployment was cancelled or the server stopped.',
    fix: 'Nothing to fix; a new deployment (or the resumed one) builds again under the same names.',
  },
  ARTIFACT_BUNDLE_MISSING: {
    area: 'pipeline',
    summary:
      'The `build_commands` of a BUNDLE:BUILD succeeded but did not write the file `file_path` names.',
    fix: 'Make the commands write the zip at `file_path` (relative to the repository root), or correct `file_path`.',
  },
  ARTIFACT_BUNDLE_NOT_ZIP: {
    area: 'pipeline',
    summary:
      'The file a BUNDLE:BUILD produced at `file_path` is not a zip archive (its first bytes are not a zip signature).',
    fix: 'Produce a zip (`zip -r bundle.zip …`); a tarball or a directory is not a bundle.',
  },
  ARTIFACT_IMPORT_TIMEOUT: {
    area: 'system',
    summary:
      'The source image or object of a DOCKER:IMPORT or BUNDLE:IMPORT did not appear within `timeout_minutes`.',
    fix: 'Check `source_image_url` / `source_s3_url`, that whatever publishes the source ran, and raise `timeout_minutes` when it takes longer.',
  },
  ARTIFACT_STORE_FAILED: {
    area: 'system',
    summary:
      'A built artifact could not be stored in its repository or bucket, or the registry login for it failed (AccessDenied, a missing bucket or repository). The message quotes the AWS error.',
    fix: 'Run bootstrap so the CI/CD repository and bucket exist, and check that the build role may push to them (`ecr:GetAuthorizationToken`, the ECR push actions, `s3:PutObject`).',
  },
  // HTTP API (the server)
  API_INVALID_REQUEST: {
    area: 'system',
    summary:
      'An API request has a body, query or path parameter that does not match the API (docs/api.md); `issues` lists each field.',
    fix: 'Fix the fields named in `issues` (`body.source.kind`, `query.limit`, …).',
  },
  API_UNAUTHENTICATED: {
    area: 'system',
    summary:
      'An API request carries no token, or one that is unknown, revoked or expired (or the alarm endpoint got a wrong `x-rampart-alarm-token`).',
    fix: 'Send `Authorization: Bearer <token>` with a live token; an admin creates one with `POST /api/v1/tokens`.',
  },
  API_FORBIDDEN: {
    area: 'system',
    summary:
      "The token's role may not do this: viewers read, deployers also release and operate, admins also manage pipelines and tokens.",
    fix: 'Use a token with the role named in the message, or ask an admin for one.',
  },
  API_NOT_FOUND: {
    area: 'system',
    summary: 'No API route, stage or step has this name.',
    fix: 'Check the path against docs/api.md, and the stage and step names of the deployment.',
  },
  API_TOKEN_NOT_FOUND: {
    area: 'system',
    summary: 'No live API token has this id.',
    fix: 'List the tokens (`GET /api/v1/tokens`) and use an id from there.',
  },
  PIPELINE_NOT_REGISTERED: {
    area: 'system',
    summary: 'No pipeline with this slug is registered with the server.',
    fix: 'Register it first (`POST /api/v1/pipelines` with its slug and repository), or list the registered ones.',
  },
  DEPLOYMENT_NOT_FOUND: {
    area: 'system',
    summary: 'The pipeline has no deployment with this revision number.',
    fix: 'List the deployments of the pipeline and use a revision from there.',
  },
  PIPELINE_INVALID: {
    area: 'system',
    summary:
      'The pipeline file at the commit a deployment asked for does not validate; `diagnostics` lists its errors.',
    fix: 'Fix the errors listed (`rampart validate` at that commit shows them too), push, and release again.',
  },
  ALARM_EVENT_INVALID: {
    area: 'system',
    summary:
      'The body posted to the alarm endpoint is not an EventBridge "CloudWatch Alarm State Change" event.',
    fix: 'Point only the CloudWatch alarm state change rule at the API destination, with the event passed through unchanged.',
  },
  // secrets (`rampart secrets`, secret("X") and stage_secret("X") in pipelines)
  SECRET_NOT_FOUND: {
    area: 'system',
    summary:
      'No secret of this name exists in the scope named (the organization, or the stage of that name), so it cannot be changed, deleted or given to a step.',
    fix: 'List the secrets (`rampart secrets list`) and set the missing one: `rampart secrets set NAME` (organization) or `rampart secrets set NAME --stage STAGE`.',
  },
  SECRET_MISSING: {
    area: 'system',
    summary:
      'A deployment was refused before its first stage: its pipeline references secrets that are not set; the message names each one with its scope.',
    fix: 'Set each secret named (`rampart secrets set NAME [--stage STAGE]`), then release again.',
  },
  SECRET_VALUE_INVALID: {
    area: 'system',
    summary: 'A secret value is empty, larger than 64 KiB, or not UTF-8 text.',
    fix: 'Pipe the value on stdin or pass `--from-file FILE` with 1 byte to 64 KiB of text.',
  },
  SECRET_UNAVAILABLE: {
    area: 'system',
    summary:
      'A secret exists but its value cannot be read: the master key or KMS key that wrapped it cannot decrypt it, or Secrets Manager refused or does not have it.',
    fix: 'Check that the server runs with the master key (or KMS access) it had when the secret was set, and for Secrets Manager secrets that `rampart/<scope>/<name>` exists in the CI/CD account and the server may read it; else set the secret again.',
  },
  // the demo (`rampart demo`)
  DEMO_SETUP_FAILED: {
    area: 'system',
    summary:
      '`rampart demo` could not prepare its world: git is missing, or bootstrapping the sandbox, creating the example services or registering the example pipeline failed.',
    fix: 'Install git when the message says it is missing; otherwise run the demo again with `RAMPART_DEBUG=1` and report the output.',
  },
  DEMO_STALLED: {
    area: 'system',
    summary: 'A demo deployment did not finish within its time limit.',
    fix: 'The machine may be too busy for the chosen speed: run `rampart demo --speed 30` (slower demo time), or report the output.',
  },
  INTERNAL: {
    area: 'system',
    summary: 'An unexpected failure inside Rampart.',
    fix: 'Report it with the command and the output.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof errorCodes;
