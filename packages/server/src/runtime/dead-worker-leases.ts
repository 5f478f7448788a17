/**
 * A server that was killed (OOM, SIGKILL, power cut of a container) leaves its commands leased
 * to it for up to a minute. The server that starts after it on the same host sees that process is
 * gone and gives those commands back at once, so deployments continue right away; leases of
 * other hosts, and of processes that still run, are left to expire as usual.
 */
import { randomUUID } from 'node:crypto';

/** The lease owner a server names itself with: `<host>/<pid>/<8 hex>`. */
export function serverWorkerId(host: string, pid: number): string {
  return `${host}/${pid}/${randomUUID().slice(0, 8)}`;
}

/** Host and process id of a worker id {@link serverWorkerId} made; undefined for any other id. */
export function parseServerWorkerId(owner: string): { host: string; pid: number } | undefined {
  const match = /^(.+)\/([1-9]\d{0,9})\/[0-9a-f]{8}$/.exec(owner);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { host: match[1], pid: Number(match[2]) };
}

/** Whether a process with this id runs on this host (one of another user counts). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The store operations this needs (`KyselyEngineStore` has them). */
export interface LeaseStore {
  leaseHolders(now: string): Promise<{ owner: string; commands: number }[]>;
  releaseLeasesOf(owner: string): Promise<number>;
}

/** Options of {@link reclaimDeadWorkerLeases}. */
export interface ReclaimOptions {
  store: LeaseStore;
  /** This host's name, as in this server's worker id. */
  host: string;
  /** This process: a worker id with the same pid is not known to be gone (a restarted container runs as pid 1 again). */
  pid: number;
  now: Date;
  /** @default {@link processIsAlive} */
  isAlive?: (pid: number) => boolean;
}

/**
 * Gives back the commands leased to earlier server processes of this host that no longer run.
 * Returns each such worker with the number of commands it held.
 */
export async function reclaimDeadWorkerLeases(
  options: ReclaimOptions,
): Promise<{ owner: string; commands: number }[]> {
  const isAlive = options.isAlive ?? processIsAlive;
  const reclaimed: { owner: string; commands: number }[] = [];
  for (const { owner } of await options.store.leaseHolders(options.now.toISOString())) {
    const worker = parseServerWorkerId(owner);
    if (worker === undefined || worker.host !== options.host) continue;
    if (worker.pid === options.pid || isAlive(worker.pid)) continue;
    const commands = await options.store.releaseLeasesOf(owner);
    if (commands > 0) reclaimed.push({ owner, commands });
  }
  return reclaimed;
}
