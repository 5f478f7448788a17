export * from './partition.js';
export * from './regions.js';
