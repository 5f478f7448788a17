/** What every bootstrap template is generated from: the organization and the issuer. */
import type { StagePolicyOrganization } from '@rampart/core';

/** The organization and issuer, from the control plane's configuration. */
export interface BootstrapSettings {
  organization: StagePolicyOrganization;
  /** `issuer_url`: where AWS fetches the OIDC discovery document. */
  issuerUrl: string;
}
