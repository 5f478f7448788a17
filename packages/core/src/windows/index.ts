/** Deployment time windows: presets, checks of window objects, and open/closed evaluation. */
export * from './time-window.js';
export * from './presets.js';
export * from './check-window-object.js';
export * from './window-status.js';
export * from './describe-window.js';
export { isKnownTimeZone, suggestTimeZone } from './time-zone-name.js';
