// Test support: an extra service whose only job is to hand a test the sandbox's runtime, so a
// test can call internal entry points (appendLogEvents, runtime.publishEvent) on a started sandbox.
import type { SandboxRuntime } from '../../../framework/runtime.js';
import type { ServiceDefinition } from '../../../framework/service.js';
import { jsonProtocol } from '../../../protocols/json-protocol.js';
import type { Sandbox } from '../../../sandbox.js';

/** A probe: pass `service` in `extraServices`, then `await runtimeOf(sandbox)`. */
export function runtimeProbe(): {
  service: ServiceDefinition;
  runtimeOf: (sandbox: Sandbox) => Promise<SandboxRuntime>;
} {
  let captured: SandboxRuntime | undefined;
  return {
    service: {
      name: 'runtime-probe',
      protocol: jsonProtocol({ targetPrefix: 'RuntimeProbe' }),
      actions: {},
      hooks: {
        onTick: (ctx) => {
          captured = ctx.runtime;
        },
      },
    },
    async runtimeOf(sandbox) {
      await sandbox.control.tick();
      if (!captured) throw new Error('the runtime probe did not run: pass it in extraServices');
      return captured;
    },
  };
}
