// Delete items built from stack resource records.
import type { StackResource } from '../cfn-state.js';
import type { DeleteItem } from './delete-resources.js';

/** A record as a delete item; its status follows the deletion. */
export function recordItem(record: StackResource, retain: boolean): DeleteItem {
  return {
    logicalId: record.logicalId,
    type: record.type,
    ...(record.physicalId !== undefined ? { physicalId: record.physicalId } : {}),
    properties: record.properties,
    attributes: record.attributes,
    retain,
    onSettled: (status, reason) => {
      record.status = status;
      if (reason === undefined) delete record.statusReason;
      else record.statusReason = reason;
    },
  };
}

/** Whether a record is kept when its stack is deleted (or the resource removed). */
export function retainedOnDelete(record: StackResource): boolean {
  return record.deletionPolicy === 'Retain' || record.deletionPolicy === 'RetainExceptOnCreate';
}

/** Whether a record is kept when the create that made it rolls back. */
export function retainedOnCreateRollback(record: StackResource): boolean {
  return record.deletionPolicy === 'Retain';
}

/** `The following resource(s) failed to <verb>: [A, B]. ` */
export function failedResources(verb: string, ids: readonly string[]): string {
  return `The following resource(s) failed to ${verb}: [${ids.join(', ')}]. `;
}
