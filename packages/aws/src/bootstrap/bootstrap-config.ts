/** The part of the control-plane config bootstrap and the broker need, checked once. */
import { RampartError, type ControlPlaneConfig } from '@rampart/core';
import type { BootstrapSettings } from './templates/bootstrap-settings.js';

/**
 * Organization, issuer URL and the region of the CI/CD account from `config`.
 *
 * @throws RampartError `CONFIG_INVALID` naming the first missing key.
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
  return {
    organization: {
      slug: org.slug,
      cicd_account_id: org.cicd_account_id,
      cicd_account_region: org.cicd_account_region,
    },
    issuerUrl: config.issuer_url,
  };
}
