/** @rampart/aws: Rampart's AWS side. So far: the bootstrap CloudFormation templates. */
export * from './bootstrap/templates/index.js';
