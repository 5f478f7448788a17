// Name-keyed records that treat every name as data: `__proto__` is a valid name for an ECS
// cluster, a Lambda function, an EventBridge rule or a log group.

/** The value stored under `key`, ignoring inherited properties. */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Stores `value` under `key` as an own property, even for `__proto__`. */
export function putOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
