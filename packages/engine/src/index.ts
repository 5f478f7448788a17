// Public API of @rampart/engine.
export * from './ports/engine-store.js';
