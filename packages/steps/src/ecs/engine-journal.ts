// The engine journals a step attempt's effects as one record; the ECS deployer reads and writes
// them one name at a time. This adapter lets the deployer resume from the engine's journal.
import type { EffectJournal as DeployerJournal } from '@rampart/aws';
import type { EffectJournal as EngineJournal } from '@rampart/engine';

/** The engine's journal of a step attempt as the deployer's name-by-name journal. */
export function deployerJournal(effects: EngineJournal): DeployerJournal {
  return {
    get: async (name) => (await effects.get())[name],
    put: (name, value) => effects.put(name, value),
  };
}
