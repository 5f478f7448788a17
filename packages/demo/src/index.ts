/**
 * @rampart/demo: `rampart demo` as a library — the sandbox, the server, a bootstrapped
 * organization and the bundled example deployed through every stage, with an unhealthy revision
 * rolled back by its alarm.
 */
export {
  DEFAULT_DEMO_PORT,
  DEFAULT_DEMO_SPEED,
  MAX_DEMO_SPEED,
  runDemo,
  type DemoOptions,
  type DemoOutcome,
  type DemoRun,
} from './run-demo.js';
export type { DemoCheck, DemoCheckId, ServiceState } from './demo-checks.js';
export type { DemoEvent, DemoEventBody, DemoListener, DemoTiming } from './demo-events.js';
export type { DemoCommit } from './example-repository.js';
export { DEMO_PIPELINE, DEMO_STAGES, INITIAL_IMAGE, type DemoStage } from './demo-settings.js';
export { vendorImage, type VendorImage } from './vendor-image.js';
export { VENDOR_REPOSITORY, VENDOR_VERSIONS, type PublishedImage } from './vendor-registry.js';
export { ScaledClock } from './scaled-clock.js';
