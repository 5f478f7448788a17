/** The part of the control-plane config bootstrap and the broker need, checked once. */
import { RampartError, type ControlPlaneConfig } from '@rampart/core';
import type { BootstrapSettings } from './templates/bootstrap-settings.js';

/**
 * Organization, issuer URL and the region of the CI/CD account from `config`, and alarm push when
 * `public_url` is set (the config schema already demands `alarm_push_token` with it).
 *
 * @throws RampartError `CONFIG_INVALID` naming the first missing key, or an `http://` `public_url`
 *   for real AWS (API destinations take only HTTPS; the sandbox takes both).
 */
export function bootstrapSettingsFrom(config: ControlPlaneConfig): BootstrapSettings {
  const org = config.organization;
  const missing = [
    ['organization.slug', org?.slug],
    ['organization.cicd_account_id', org?.cicd_account_id],
    ['organization.cicd_account_region', org?.cicd_account_region],
    ['issuer_url', config.issuer_url],
  ].find(([, value]) => value === undefined);
  if (
    missing !== undefined ||
    org?.slug === undefined ||
    org.cicd_account_id === undefined ||
    org.cicd_account_region === undefined ||
    config.issuer_url === undefined
  ) {
    throw new RampartError(
      'CONFIG_INVALID',
      `the control-plane config has no ${String(missing?.[0])}; bootstrap and credentials need it`,
      { source: 'user', hint: 'Add it to rampart.config.yaml (see docs/configuration.md).' },
    );
  }
  const settings: BootstrapSettings = {
    organization: {
      slug: org.slug,
      cicd_account_id: org.cicd_account_id,
      cicd_account_region: org.cicd_account_region,
    },
    issuerUrl: config.issuer_url,
  };
  const publicUrl = config.public_url;
  if (publicUrl === undefined) return settings;
  if (config.alarm_push_token === undefined) {
    throw new RampartError('CONFIG_INVALID', 'public_url is set without alarm_push_token', {
      source: 'user',
      hint: 'Set alarm_push_token (RAMPART_ALARM_PUSH_TOKEN, `openssl rand -base64 32`) or remove public_url.',
    });
  }
  if (new URL(publicUrl).protocol === 'http:' && config.aws?.endpoint_url === undefined) {
    throw new RampartError(
      'CONFIG_INVALID',
      `public_url ${publicUrl} is plain HTTP, but EventBridge API destinations in AWS accept only https:// endpoints`,
      {
        source: 'user',
        hint: 'Serve the API over HTTPS (a load balancer or reverse proxy in front of `rampart server`) and set public_url to that https:// URL, or remove public_url to rely on polling.',
      },
    );
  }
  return { ...settings, alarmPush: { publicUrl, token: config.alarm_push_token } };
}
