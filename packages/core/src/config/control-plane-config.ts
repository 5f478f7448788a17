/**
 * The control plane's configuration (`rampart.config.yaml`), parsed and validated in this one
 * module. `RAMPART_*` environment variables override single keys: the key's path in upper case,
 * joined by `_` (`RAMPART_ORGANIZATION_SLUG`, `RAMPART_AWS_ENDPOINT_URL`, `RAMPART_LISTEN`).
 */
import { z } from 'zod';
import type { Diagnostic } from '../errors/index.js';
import { RampartError } from '../errors/index.js';
import { isKnownRegion } from '../aws-facts/index.js';
import { loadYaml } from '../loader/load-yaml.js';
import { issuesToDiagnostics } from '../schema/issues-to-diagnostics.js';

const orgSlug = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export const controlPlaneConfigSchema = z
  .strictObject({
    organization: z
      .strictObject({
        name: z.string().min(1).describe('Display name of the organization'),
        slug: z
          .string()
          .regex(orgSlug, 'must be lowercase letters, digits and hyphens')
          .describe('Short name used in role trust and resource names'),
        cicd_account_id: z
          .string()
          .regex(/^\d{12}$/, 'must be a 12-digit AWS account id in quotes')
          .describe('The CI/CD account'),
        cicd_account_region: z
          .string()
          .refine(isKnownRegion, 'must be an AWS region code such as us-east-1')
          .describe('Region of the CI/CD account resources'),
      })
      .partial()
      .optional(),
    issuer_url: z.url().describe('Where AWS fetches the OIDC discovery document').optional(),
    listen: z
      .string()
      .regex(/^[^:]*:\d{1,5}$/, 'must be host:port')
      .describe('Address the server listens on')
      .optional(),
    data_dir: z.string().min(1).describe('SQLite database and encrypted keys').optional(),
    database_url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .describe('PostgreSQL; SQLite in data_dir when absent')
      .optional(),
    aws: z
      .strictObject({
        endpoint_url: z.url().describe('AWS endpoint override (the sandbox)').optional(),
      })
      .optional(),
    step_registries: z
      .array(
        z.union([
          z.strictObject({
            path: z
              .string()
              .min(1)
              .describe('A folder holding the registry (relative to the config file)'),
          }),
          z.strictObject({
            git: z.string().min(1).describe('A git URL the server can fetch without a prompt'),
            ref: z
              .string()
              .min(1)
              .describe("A branch, tag or commit; the repository's default branch when absent")
              .optional(),
          }),
        ]),
      )
      .describe('Step registries providing CUSTOM:<NAME> step types (docs/custom-steps.md)')
      .optional(),
    master_key: z
      .string()
      .regex(
        /^[A-Za-z0-9+/]{43}=$/,
        'must be 32 bytes in base64: 44 characters ending in "=" (`openssl rand -base64 32`)',
      )
      .describe('Encrypts the signing keys in data_dir')
      .optional(),
    master_key_file: z
      .string()
      .min(1)
      .describe(
        'A file holding the master key in base64; data_dir/master.key (generated on first use) when neither is set',
      )
      .optional(),
    secrets: z
      .strictObject({
        encryption: z
          .enum(['master_key', 'kms'])
          .describe(
            "What wraps each secret's data key: the master key (default) or the organization's KMS key in the CI/CD account",
          )
          .optional(),
      })
      .optional(),
    admin_token: z
      .string()
      .min(32, 'must be at least 32 characters (`openssl rand -base64 32`)')
      .describe('An admin API token the server accepts besides the tokens it stores')
      .optional(),
    alarm_push_token: z
      .string()
      .min(32, 'must be at least 32 characters (`openssl rand -base64 32`)')
      .describe('The secret EventBridge sends to the alarm endpoint in x-rampart-alarm-token')
      .optional(),
    public_url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .refine((url) => !/[?#]/.test(url), 'must not have a query or fragment')
      .describe(
        "Where AWS reaches the server's API; bootstrap wires EventBridge alarm push to it when set",
      )
      .optional(),
  })
  .refine((c) => c.master_key === undefined || c.master_key_file === undefined, {
    message: 'set master_key or master_key_file, not both',
    path: ['master_key_file'],
  })
  // Bootstrap gives each stage account the token to send; without one the endpoint refuses all.
  .refine((c) => c.public_url === undefined || c.alarm_push_token !== undefined, {
    message:
      'needs alarm_push_token, the secret EventBridge sends with every alarm event: set alarm_push_token ' +
      '(or RAMPART_ALARM_PUSH_TOKEN) to at least 32 characters (`openssl rand -base64 32`), or remove public_url',
    path: ['public_url'],
  });

export type ControlPlaneConfig = z.infer<typeof controlPlaneConfigSchema>;

const ENV_KEYS: readonly (readonly string[])[] = [
  ['organization', 'name'],
  ['organization', 'slug'],
  ['organization', 'cicd_account_id'],
  ['organization', 'cicd_account_region'],
  ['issuer_url'],
  ['listen'],
  ['data_dir'],
  ['database_url'],
  ['aws', 'endpoint_url'],
  ['master_key'],
  ['master_key_file'],
  ['secrets', 'encryption'],
  ['admin_token'],
  ['alarm_push_token'],
  ['public_url'],
];

/** The environment variable that overrides a key: `RAMPART_ORGANIZATION_SLUG`. */
export function envNameFor(path: readonly string[]): string {
  return `RAMPART_${path.join('_').toUpperCase()}`;
}

/**
 * Parses config text (or none) plus environment overrides. Throws CONFIG_INVALID with every
 * problem listed, each with its file position.
 */
export function parseControlPlaneConfig(input: {
  text?: string;
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
}): ControlPlaneConfig {
  const file = input.file ?? 'rampart.config.yaml';
  let data: Record<string, unknown> = {};
  let diagnostics: Diagnostic[] = [];
  const loaded = input.text === undefined ? undefined : loadYaml(input.text, file);
  if (loaded !== undefined) {
    diagnostics = loaded.diagnostics;
    if (diagnostics.length === 0 && loaded.data !== null) {
      if (typeof loaded.data !== 'object' || Array.isArray(loaded.data)) {
        diagnostics.push({
          code: 'CONFIG_INVALID',
          severity: 'error',
          message: `${file} must be a map of settings`,
          file,
          line: 1,
          column: 1,
          hint: 'See docs/configuration.md.',
        });
      } else {
        data = structuredClone(loaded.data as Record<string, unknown>);
        const org = data.organization as Record<string, unknown> | undefined;
        if (org !== null && typeof org === 'object' && typeof org.cicd_account_id === 'number') {
          // An unquoted id is a YAML number that may have lost leading zeros: show what was written.
          const raw =
            loaded.positions.raw(['organization', 'cicd_account_id']) ??
            String(org.cicd_account_id);
          const intended = /^\d{12}$/.test(raw)
            ? raw
            : String(org.cicd_account_id).padStart(12, '0');
          diagnostics.push({
            code: 'CONFIG_INVALID',
            severity: 'error',
            message: `organization.cicd_account_id is an unquoted number (${raw})`,
            ...loaded.positions.locate(['organization', 'cicd_account_id']),
            hint: `Quote account ids in YAML: cicd_account_id: "${intended}".`,
          });
        }
      }
    }
  }
  const fromEnv = new Map<string, string>();
  for (const path of ENV_KEYS) {
    const value = input.env?.[envNameFor(path)];
    if (value === undefined || value === '') continue;
    fromEnv.set(path.join('.'), envNameFor(path));
    let target = data;
    for (const seg of path.slice(0, -1)) {
      const next = target[seg];
      target = (
        next !== null && typeof next === 'object' && !Array.isArray(next)
          ? next
          : (target[seg] = {})
      ) as Record<string, unknown>;
    }
    target[path[path.length - 1] ?? ''] = value;
  }
  if (diagnostics.length === 0) {
    const parsed = controlPlaneConfigSchema.safeParse(data);
    if (parsed.success) return parsed.data;
    // A bad value that came from a RAMPART_* variable is reported against the variable, not the file.
    const envIssues = parsed.error.issues.filter((i) => fromEnv.has(i.path.map(String).join('.')));
    const fileIssues = parsed.error.issues.filter(
      (i) => !fromEnv.has(i.path.map(String).join('.')),
    );
    diagnostics = envIssues.map((i) => ({
      code: 'CONFIG_INVALID',
      severity: 'error',
      message: `${fromEnv.get(i.path.map(String).join('.')) ?? 'environment'} (${i.path.map(String).join('.')}): ${i.message}`,
      file: 'environment',
      line: 1,
      column: 1,
    }));
    if (fileIssues.length > 0) {
      if (loaded !== undefined)
        diagnostics.push(
          ...issuesToDiagnostics(fileIssues, {
            schema: controlPlaneConfigSchema,
            data,
            basePath: [],
            fileData: data,
            positions: loaded.positions,
          }),
        );
      else
        diagnostics.push(
          ...fileIssues.map((i) => ({
            code: 'CONFIG_INVALID' as const,
            severity: 'error' as const,
            message: `${i.path.map(String).join('.')}: ${i.message}`,
            file: 'environment',
            line: 1,
            column: 1,
          })),
        );
    }
  }
  const lines = diagnostics.map(
    (d) =>
      `${d.file}:${d.line}:${d.column}: ${d.message}${d.hint === undefined ? '' : ` (${d.hint})`}`,
  );
  const first = diagnostics[0];
  throw new RampartError(
    'CONFIG_INVALID',
    `the control-plane configuration is invalid:\n  ${lines.join('\n  ')}`,
    {
      hint: 'Fix the keys listed; see docs/configuration.md. Environment variables RAMPART_<KEY> override the file.',
      ...(first === undefined
        ? {}
        : { location: { file: first.file, line: first.line, column: first.column } }),
    },
  );
}
