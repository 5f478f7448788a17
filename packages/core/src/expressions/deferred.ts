/** A value that is not known yet at this phase and shows as a marker until it is. */

/**
 * A value known only later, such as a secret or a step output. It shows as its marker
 * (`[SECRET:X]`, `[OUTPUT:infra/vpc_id]`) wherever it is used. Reading a key of a Deferred gives the
 * same Deferred: the caller decides markers at the leaf by returning a Deferred per key from a
 * {@link ContextNode} when it wants each key to have its own marker.
 */
export class Deferred {
  constructor(readonly marker: string) {}
}
