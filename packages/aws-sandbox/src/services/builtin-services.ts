// The services a sandbox serves by default. New services register here.
import type { ServiceDefinition } from '../framework/service.js';
import { cloudFormationService } from './cloudformation/index.js';
import { iamService } from './iam/index.js';
import { kmsService } from './kms/index.js';
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
];
