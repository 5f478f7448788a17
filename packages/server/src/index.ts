/** @rampart/server: Rampart's HTTP server (for now the OIDC issuer endpoints and a health check). */
export { createApp, type AppOptions } from './create-app.js';
export {
  DEFAULT_LISTEN,
  parseListenAddress,
  urlHost,
  type ListenAddress,
} from './listen-address.js';
export { startServer, type RunningServer, type StartServerOptions } from './start-server.js';
