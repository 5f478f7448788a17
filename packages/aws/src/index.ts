/** @rampart/aws: Rampart's AWS side — bootstrap, the credential broker, the SDK client factory. */
export * from './bootstrap/index.js';
export * from './credentials/index.js';
export * from './sdk/index.js';
export * from './ecs/index.js';
export * from './alarms/index.js';
export * from './engine-adapters/index.js';
export * from './secrets/index.js';
