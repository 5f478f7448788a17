export * from './diagnostic.js';
export * from './error-codes.js';
export * from './rampart-error.js';
