// How a sandbox task's behaviour is controlled: variables in the container's environment, after
// RunTask's overrides. SANDBOX_EXIT_CODE (default 0), SANDBOX_RUN_SECONDS (seconds from RUNNING
// to exit, default 0; `forever` runs until stopped), SANDBOX_LOG_LINES (newline-separated lines
// written to the awslogs stream when the container starts).
import { invalidParameter } from './ecs-errors.js';

/** What a container does once it runs. */
export interface ContainerBehaviour {
  exitCode: number;
  /** `null`: runs until stopped. */
  runMs: number | null;
  logLines: string[];
}

/** `[{ name, value }]` environment with later entries winning, as overrides apply. */
export function mergeEnvironment(
  ...lists: { name: string; value: string }[][]
): { name: string; value: string }[] {
  const merged = new Map<string, string>();
  for (const list of lists) for (const entry of list) merged.set(entry.name, entry.value);
  return [...merged].map(([name, value]) => ({ name, value }));
}

/** Reads the conventions from a container's effective environment. */
export function containerBehaviour(
  container: string,
  environment: readonly { name: string; value: string }[],
): ContainerBehaviour {
  const env = new Map(environment.map((entry) => [entry.name, entry.value]));
  const exitText = env.get('SANDBOX_EXIT_CODE')?.trim();
  let exitCode = 0;
  if (exitText !== undefined && exitText !== '') {
    exitCode = Number(exitText);
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
      throw invalidParameter(
        `SANDBOX_EXIT_CODE of container ${container} must be an integer from 0 to 255, got "${exitText}".`,
      );
    }
  }
  const runText = env.get('SANDBOX_RUN_SECONDS')?.trim();
  let runMs: number | null = 0;
  if (runText === 'forever') runMs = null;
  else if (runText !== undefined && runText !== '') {
    const seconds = Number(runText);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw invalidParameter(
        `SANDBOX_RUN_SECONDS of container ${container} must be a number of seconds (>= 0) or "forever", got "${runText}".`,
      );
    }
    runMs = Math.round(seconds * 1000);
  }
  const lines = env.get('SANDBOX_LOG_LINES');
  const logLines = lines === undefined || lines === '' ? [] : lines.split('\n');
  return { exitCode, runMs, logLines };
}
