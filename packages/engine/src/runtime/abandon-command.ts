/** The input that ends a command which failed on every claim: its step (or check) fails instead of looping. */
import type { EngineCommandSpec } from '../decide/commands.js';
import type { EngineInput } from '../decide/inputs.js';

export function abandonedInput(command: EngineCommandSpec, attempts: number): EngineInput {
  const message = `gave up after ${attempts} attempts to run ${command.type} ${command.id}`;
  switch (command.type) {
    case 'build-artifact':
      return {
        type: 'artifact-built',
        commandId: command.id,
        deploymentId: command.payload.deploymentId,
        index: command.payload.index,
        outcome: { kind: 'failed', message },
      };
    case 'execute-step':
      return {
        type: 'step-finished',
        commandId: command.id,
        ref: command.payload.ref,
        outcome: { kind: 'failed', code: 'abandoned', message },
      };
    case 'rollback-step':
      return {
        type: 'rollback-step-finished',
        commandId: command.id,
        rollbackId: command.payload.rollbackId,
        outcome: { kind: 'failed', message },
      };
    case 'mirror-artifacts':
      return {
        type: 'artifacts-mirrored',
        commandId: command.id,
        ref: command.payload.ref,
        outcome: { kind: 'failed', message },
      };
    case 'check-resources':
      return {
        type: 'resources-checked',
        commandId: command.id,
        ref: command.payload.ref,
        problems: [message],
        alarms: [],
      };
    case 'set-timer':
      return { type: 'timer-fired', commandId: command.id, timer: command.payload.timer };
    case 'poll-alarms':
      return {
        type: 'alarms-polled',
        commandId: command.id,
        stage: command.payload.target.stage,
        readings: [],
        error: message,
      };
    case 'cancel-step':
      return { type: 'command-done', commandId: command.id };
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
