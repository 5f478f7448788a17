export * from './artifact-copies.js';
export * from './artifact-id.js';
export * from './build-role.js';
export * from './name-part.js';
export * from './oidc-provider.js';
export * from './oidc-subject.js';
export * from './organization-stores.js';
export {
  RESOURCE_NAME_LIMITS,
  STACK_NAME_LETTER_PREFIX,
  normalizeResourceName,
  resourceName,
  type ResourceKind,
} from './resource-name.js';
export * from './short-hash.js';
export * from './stack-names.js';
export * from './stage-role.js';
export * from './terraform-state.js';
