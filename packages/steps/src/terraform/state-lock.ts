// A state lock someone else holds, as Terraform reports it ("Error acquiring the state lock" with
// a "Lock Info:" block), turned into a message that says who holds it and how to release it.

/** The lock Terraform found, from its error output. */
export interface HeldLock {
  id?: string;
  who?: string;
  operation?: string;
  created?: string;
  path?: string;
}

const FIELD = /^\s*(ID|Path|Operation|Who|Version|Created|Info):\s*(.*?)\s*$/;

/** The held lock named in Terraform's output lines; `undefined` when the run failed otherwise. */
export function heldLockOf(lines: readonly string[]): HeldLock | undefined {
  const start = lines.findIndex((l) => l.includes('Error acquiring the state lock'));
  if (start === -1) return undefined;
  const lock: HeldLock = {};
  const info = lines.findIndex((l, i) => i > start && /^\s*Lock Info:\s*$/.test(l));
  if (info === -1) return lock;
  for (const line of lines.slice(info + 1)) {
    const match = FIELD.exec(line);
    if (match === null) break;
    const value = match[2] ?? '';
    if (value === '') continue;
    switch (match[1]) {
      case 'ID':
        lock.id = value;
        break;
      case 'Who':
        lock.who = value;
        break;
      case 'Operation':
        lock.operation = value.replace(/^OperationType/, '').toLowerCase();
        break;
      case 'Created':
        lock.created = value;
        break;
      case 'Path':
        lock.path = value;
        break;
      default:
        break;
    }
  }
  return lock;
}

/** The failure message of a run that found the state locked. */
export function lockedMessage(lock: HeldLock, state: { bucket: string; key: string }): string {
  const holder = lock.who ?? 'another Terraform run';
  const details = [
    lock.operation === undefined ? undefined : `running ${lock.operation}`,
    lock.created === undefined ? undefined : `since ${lock.created}`,
    lock.id === undefined ? undefined : `lock ID ${lock.id}`,
  ].filter((d) => d !== undefined);
  const release =
    lock.id === undefined
      ? `delete s3://${state.bucket}/${state.key}.tflock`
      : `run "terraform force-unlock ${lock.id}" in the configuration with this backend, or delete s3://${state.bucket}/${state.key}.tflock`;
  return (
    `the Terraform state s3://${state.bucket}/${state.key} is locked by ${holder}` +
    `${details.length === 0 ? '' : ` (${details.join(', ')})`}: ` +
    `wait for that run to finish and retry the stage; if it is gone for good, release the lock: ${release}`
  );
}
