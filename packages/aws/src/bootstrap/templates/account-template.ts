/**
 * `Rampart-Account`, in every account bootstrap touches: the IAM OIDC provider that lets STS
 * accept this control plane's tokens. One provider per issuer URL may exist in an account, so an
 * existing one is adopted (the `ExistingProviderArn` parameter) rather than duplicated.
 */
import { STS_AUDIENCE, oidcProviderHost } from '@rampart/core';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { fnIf, ref, NO_VALUE, type CfnTemplate } from './cfn-template.js';
import { LOGICAL_IDS } from './logical-ids.js';
import { rampartTags } from './rampart-tags.js';
import { BOOTSTRAP_TEMPLATE_VERSION, templateVersionOutput } from './template-version.js';

/** Parameters of the account template, set by the deployer. */
export const ACCOUNT_PARAMETERS = {
  /** ARN of a provider for the same issuer that exists outside this stack; empty to create one. */
  existingProviderArn: 'ExistingProviderArn',
  /** SHA-1 thumbprint of the issuer's top CA; empty to let IAM use its trusted CA library. */
  thumbprint: 'Thumbprint',
} as const;

const CREATE_PROVIDER = 'CreateProvider';
const ADOPT_PROVIDER = 'AdoptProvider';
const HAS_THUMBPRINT = 'HasThumbprint';

/** The account stack's template for the configured issuer. */
export function accountTemplate(settings: BootstrapSettings): CfnTemplate {
  const host = oidcProviderHost(settings.issuerUrl);
  const url = settings.issuerUrl.replace(/\/+$/, '');
  const { existingProviderArn, thumbprint } = ACCOUNT_PARAMETERS;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Rampart account stack: trusts the OIDC issuer ${host} (template version ${BOOTSTRAP_TEMPLATE_VERSION})`,
    Parameters: {
      [existingProviderArn]: {
        Type: 'String',
        Description:
          'ARN of an IAM OIDC provider for this issuer that already exists outside this stack; empty to create one',
        Default: '',
        AllowedPattern: '^(arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/.+)?$',
        ConstraintDescription: 'an IAM OIDC provider ARN, or empty',
      },
      [thumbprint]: {
        Type: 'String',
        Description:
          "SHA-1 thumbprint (40 hex digits) of the issuer certificate's top CA; empty to let IAM trust its CA library",
        Default: '',
        AllowedPattern: '^([0-9A-Fa-f]{40})?$',
        ConstraintDescription: '40 hexadecimal digits, or empty',
      },
    },
    Conditions: {
      [CREATE_PROVIDER]: { 'Fn::Equals': [ref(existingProviderArn), ''] },
      [ADOPT_PROVIDER]: { 'Fn::Not': [{ Condition: CREATE_PROVIDER }] },
      [HAS_THUMBPRINT]: { 'Fn::Not': [{ 'Fn::Equals': [ref(thumbprint), ''] }] },
    },
    Resources: {
      [LOGICAL_IDS.oidcProvider]: {
        Type: 'AWS::IAM::OIDCProvider',
        Condition: CREATE_PROVIDER,
        Properties: {
          Url: url,
          ClientIdList: [STS_AUDIENCE],
          ThumbprintList: fnIf(HAS_THUMBPRINT, [ref(thumbprint)], NO_VALUE),
          Tags: rampartTags({ org: settings.organization.slug }),
        },
      },
      // CloudFormation refuses a stack in which no resource would be created.
      [LOGICAL_IDS.adoptionAnchor]: {
        Type: 'AWS::CloudFormation::WaitConditionHandle',
        Condition: ADOPT_PROVIDER,
        Properties: {},
      },
    },
    Outputs: {
      TemplateVersion: templateVersionOutput(),
      ProviderArn: {
        Description: 'ARN of the IAM OIDC provider that stage role trust policies name',
        Value: fnIf(CREATE_PROVIDER, ref(LOGICAL_IDS.oidcProvider), ref(existingProviderArn)),
      },
      IssuerHost: {
        Description: 'The issuer URL without scheme: the prefix of the trust policy condition keys',
        Value: host,
      },
    },
  };
}
