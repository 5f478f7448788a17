/** The version every bootstrap template reports, so `--check` can tell an old stack from a new one. */
import type { CfnOutput } from './cfn-template.js';

/**
 * Raised whenever a generator changes what it emits for the same input. A stack whose
 * `TemplateVersion` output is lower is out of date even if nothing in the pipelines changed.
 */
export const BOOTSTRAP_TEMPLATE_VERSION = 2;

/** The `TemplateVersion` output every template carries. */
export function templateVersionOutput(): CfnOutput {
  return {
    Description: 'Version of the Rampart template generator that wrote this stack',
    Value: String(BOOTSTRAP_TEMPLATE_VERSION),
  };
}
