// Distributions as GetDistribution and ListDistributions render them: the sandbox stores only
// what the control API sets and fills the rest with CloudFront's defaults.
import type { CloudFrontXml } from './cloudfront-xml.js';
import { distributionArn, type DistributionRecord, type OriginRecord } from './cloudfront-state.js';

/** CloudFront's managed "CachingOptimized" cache policy. */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

const NONE = { Quantity: 0 };
const NO_SIGNERS = { Enabled: false, Quantity: 0 };

function origin(record: OriginRecord): { [key: string]: CloudFrontXml } {
  const s3 = /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(record.domainName);
  return {
    Id: record.id,
    DomainName: record.domainName,
    OriginPath: record.originPath,
    CustomHeaders: NONE,
    ...(s3
      ? { S3OriginConfig: { OriginAccessIdentity: '' } }
      : {
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: 'https-only',
            OriginSslProtocols: { Quantity: 1, Items: { SslProtocol: 'TLSv1.2' } },
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
        }),
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
    OriginAccessControlId: '',
  };
}

function methods(): { [key: string]: CloudFrontXml } {
  return {
    Quantity: 2,
    Items: { Method: ['HEAD', 'GET'] },
    CachedMethods: { Quantity: 2, Items: { Method: ['HEAD', 'GET'] } },
  };
}

/** The parts a distribution and its summary share. */
function common(distribution: DistributionRecord): { [key: string]: CloudFrontXml } {
  return {
    Aliases: NONE,
    Origins: {
      Quantity: distribution.origins.length,
      Items: { Origin: distribution.origins.map(origin) },
    },
    OriginGroups: NONE,
    DefaultCacheBehavior: {
      TargetOriginId: distribution.origins[0]?.id ?? '',
      TrustedSigners: NO_SIGNERS,
      TrustedKeyGroups: NO_SIGNERS,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: methods(),
      SmoothStreaming: false,
      Compress: true,
      LambdaFunctionAssociations: NONE,
      FunctionAssociations: NONE,
      FieldLevelEncryptionId: '',
      CachePolicyId: CACHING_OPTIMIZED,
    },
    CacheBehaviors: NONE,
    CustomErrorResponses: NONE,
    Comment: distribution.comment,
  };
}

function tail(): { [key: string]: CloudFrontXml } {
  return {
    PriceClass: 'PriceClass_All',
    Enabled: true,
    ViewerCertificate: {
      CloudFrontDefaultCertificate: true,
      SSLSupportMethod: 'vip',
      MinimumProtocolVersion: 'TLSv1',
      CertificateSource: 'cloudfront',
    },
    Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
    WebACLId: '',
    HttpVersion: 'http2',
    IsIPV6Enabled: true,
  };
}

/** `<Distribution>` of GetDistribution. */
export function renderDistribution(
  accountId: string,
  distribution: DistributionRecord,
  inProgress: number,
): { [key: string]: CloudFrontXml } {
  const { Comment, ...shared } = common(distribution);
  return {
    Id: distribution.id,
    ARN: distributionArn(accountId, distribution.id),
    Status: 'Deployed',
    LastModifiedTime: new Date(distribution.lastModifiedTime),
    InProgressInvalidationBatches: inProgress,
    DomainName: distribution.domainName,
    ActiveTrustedSigners: NO_SIGNERS,
    ActiveTrustedKeyGroups: NO_SIGNERS,
    DistributionConfig: {
      CallerReference: distribution.callerReference,
      ...shared,
      Comment,
      Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
      ...tail(),
      DefaultRootObject: '',
      Staging: false,
    },
  };
}

/** `<DistributionSummary>` of ListDistributions. */
export function renderDistributionSummary(
  accountId: string,
  distribution: DistributionRecord,
): { [key: string]: CloudFrontXml } {
  return {
    Id: distribution.id,
    ARN: distributionArn(accountId, distribution.id),
    ETag: distribution.etag,
    Status: 'Deployed',
    LastModifiedTime: new Date(distribution.lastModifiedTime),
    DomainName: distribution.domainName,
    ...common(distribution),
    ...tail(),
    Staging: false,
  };
}
