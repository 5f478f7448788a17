/**
 * @rampart/server: Rampart's HTTP server and composition root — the API, event and log streams,
 * metrics, the alarm endpoint and the OIDC issuer documents, wired to the engine runtime.
 */
export { createApp, type AppOptions } from './create-app.js';
export {
  DEFAULT_LISTEN,
  parseListenAddress,
  urlHost,
  type ListenAddress,
} from './listen-address.js';
export {
  startServer,
  type RunningServer,
  type RuntimeTuning,
  type StartServerOptions,
} from './start-server.js';
export type { ServerNotice, ServerNoticeCode } from './server-notice.js';
export { engineClockOf, systemClock, type TimeSource } from './runtime/system-clock.js';
export {
  checkoutRevision,
  type CheckedOutRevision,
  type PipelineSourceSpec,
  type RevisionRequest,
} from './sources/checkout-revision.js';
