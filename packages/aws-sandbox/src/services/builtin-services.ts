// The services a sandbox serves by default. New services register here.
import type { ServiceDefinition } from '../framework/service.js';
import { cloudFormationService } from './cloudformation/index.js';
import { cloudFrontService } from './cloudfront/index.js';
import { cloudWatchService } from './cloudwatch/index.js';
import { ecrService } from './ecr/index.js';
import { ecsService } from './ecs/index.js';
import { eventsService } from './events/index.js';
import { iamService } from './iam/index.js';
import { kmsService } from './kms/index.js';
import { lambdaService } from './lambda/index.js';
import { logsService } from './logs/index.js';
import { organizationsService } from './organizations/index.js';
import { s3Service } from './s3/index.js';
import { secretsManagerService } from './secrets-manager/index.js';
import { stsService } from './sts/index.js';

/** Every built-in service. */
export const BUILTIN_SERVICES: readonly ServiceDefinition[] = [
  iamService,
  stsService,
  organizationsService,
  s3Service,
  kmsService,
  secretsManagerService,
  cloudFormationService,
  ecrService,
  ecsService,
  logsService,
  lambdaService,
  cloudWatchService,
  // After CloudWatch: a tick's alarm evaluation publishes events whose deliveries the
  // EventBridge tick then settles, so one `control.tick()` sees them delivered.
  eventsService,
  cloudFrontService,
];
