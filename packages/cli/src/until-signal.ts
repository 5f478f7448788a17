/** Waiting for the process to be asked to stop, for the commands that run until interrupted. */

/**
 * Resolves with the signal's name on the first SIGINT (Ctrl-C) or SIGTERM (a service manager's
 * stop). Both listeners are removed then, so a second Ctrl-C during the clean stop gets Node's
 * default handling and ends the process.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
