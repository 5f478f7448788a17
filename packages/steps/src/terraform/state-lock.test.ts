import { describe, expect, it } from 'vitest';
import { heldLockOf, lockedMessage } from './state-lock.js';

const STATE = { bucket: 'b', key: 'web/prod/terraform.tfstate' };

describe('a state lock held elsewhere', () => {
  it('reads the lock terraform reports and says how to release it', () => {
    const lines = [
      'Error: Error acquiring the state lock',
      'Error message: operation error S3: PutObject, https response error StatusCode: 412',
      'Lock Info:',
      '  ID:        6f1c2a7e-0000-4000-8000-000000000001',
      '  Path:      b/web/prod/terraform.tfstate',
      '  Operation: OperationTypePlan',
      '  Who:       dave@ci',
      '  Version:   1.11.4',
      '  Created:   2026-03-01 09:00:00 +0000 UTC',
      '  Info:',
      'Terraform acquires a state lock to protect the state from being written',
    ];
    const lock = heldLockOf(lines);
    expect(lock).toEqual({
      id: '6f1c2a7e-0000-4000-8000-000000000001',
      path: 'b/web/prod/terraform.tfstate',
      operation: 'plan',
      who: 'dave@ci',
      created: '2026-03-01 09:00:00 +0000 UTC',
    });
    expect(lockedMessage(lock ?? {}, STATE)).toBe(
      'the Terraform state s3://b/web/prod/terraform.tfstate is locked by dave@ci (running plan, since 2026-03-01 09:00:00 +0000 UTC, lock ID 6f1c2a7e-0000-4000-8000-000000000001): wait for that run to finish and retry the stage; if it is gone for good, release the lock: run "terraform force-unlock 6f1c2a7e-0000-4000-8000-000000000001" in the configuration with this backend, or delete s3://b/web/prod/terraform.tfstate.tflock',
    );
  });

  it('still reports a lock terraform could not describe, and nothing for other failures', () => {
    const bare = heldLockOf(['Error: Error acquiring the state lock', 'Error message: timeout']);
    expect(bare).toEqual({});
    expect(lockedMessage(bare ?? {}, STATE)).toBe(
      'the Terraform state s3://b/web/prod/terraform.tfstate is locked by another Terraform run: wait for that run to finish and retry the stage; if it is gone for good, release the lock: delete s3://b/web/prod/terraform.tfstate.tflock',
    );
    expect(heldLockOf(['Error: Unsupported argument', 'Lock Info:', '  ID: x'])).toBeUndefined();
  });
});
