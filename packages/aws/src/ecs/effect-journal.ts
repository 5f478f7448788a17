// What a step remembers about the effects it already had in AWS, so running it again after a
// crash resumes instead of repeating them. The engine keeps one journal per step command.

/** A JSON value as the journal stores it. */
export type JournalValue =
  string | number | boolean | null | JournalValue[] | { [key: string]: JournalValue };

/** A step command's effect journal. */
export interface EffectJournal {
  get(name: string): Promise<JournalValue | undefined>;
  put(name: string, value: JournalValue): Promise<void>;
}

/** A journal that forgets everything when the process ends (for one-off runs such as the CLI). */
export function memoryJournal(): EffectJournal {
  const entries = new Map<string, JournalValue>();
  return {
    get: (name) => Promise.resolve(entries.get(name)),
    put: (name, value) => {
      entries.set(name, value);
      return Promise.resolve();
    },
  };
}
