// Amazon CloudFront (REST-XML, global): distributions (created through the control API),
// GetDistribution, ListDistributions, and invalidations that complete after an emulated delay.
import type { ServiceDefinition } from '../../framework/service.js';
import { cloudFrontProtocol } from './cloudfront-protocol.js';
import { CLOUDFRONT_SERVICE } from './cloudfront-state.js';
import { distributionActions } from './distribution-actions.js';
import { invalidationActions } from './invalidation-actions.js';

/** CloudFront. */
export const cloudFrontService: ServiceDefinition = {
  name: CLOUDFRONT_SERVICE,
  protocol: cloudFrontProtocol,
  global: true,
  actions: { ...distributionActions, ...invalidationActions },
};
