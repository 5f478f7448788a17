/** What every bootstrap template is generated from: the organization, the issuer, alarm push. */
import type { StagePolicyOrganization } from '@rampart/core';
import type { AlarmPushSettings } from './alarm-push.js';

/** The organization and issuer, from the control plane's configuration. */
export interface BootstrapSettings {
  organization: StagePolicyOrganization;
  /** `issuer_url`: where AWS fetches the OIDC discovery document. */
  issuerUrl: string;
  /**
   * `public_url` and `alarm_push_token`: stage stacks wire EventBridge alarm push to the server.
   * @default none: the engine polls the alarms
   */
  alarmPush?: AlarmPushSettings;
}
