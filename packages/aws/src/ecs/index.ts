export { memoryJournal, type EffectJournal, type JournalValue } from './effect-journal.js';
export {
  deployEcsService,
  rollbackEcsService,
  type EcsDeployIo,
  type EcsDeployRequest,
  type EcsDeployResult,
  type RolloutPoller,
} from './ecs-deployer.js';
export { taskDefinitionRevision } from './task-definition-revision.js';
