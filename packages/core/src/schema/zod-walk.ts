/** Reads zod 4 schema definitions to list the keys an object allows at a data path. */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional, default, nullable, pipe and lazy wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (def.innerType !== undefined) s = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) s = def.in;
    else if (def.type === 'lazy' && def.getter !== undefined) s = def.getter();
    else return s;
  }
  return s;
}

/** The object schemas a value at `path` may be checked against (several under a union). */
export function objectSchemasAt(root: z.ZodType, path: readonly (string | number)[]): z.ZodType[] {
  let current: z.ZodType[] = [unwrap(root)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const s of current.flatMap(expandUnion)) {
      const def = defOf(s);
      if (def.type === 'object' && def.shape !== undefined && typeof segment === 'string') {
        const child = def.shape[segment];
        if (child !== undefined) next.push(unwrap(child));
      } else if (def.type === 'array' && def.element !== undefined && typeof segment === 'number') {
        next.push(unwrap(def.element));
      } else if (def.type === 'record' && def.valueType !== undefined) {
        next.push(unwrap(def.valueType));
      }
    }
    current = next;
  }
  return current.flatMap(expandUnion).filter((s) => defOf(s).type === 'object');
}

function expandUnion(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  return def.type === 'union' && def.options !== undefined ? def.options.map(unwrap) : [schema];
}

/** Keys allowed by the object schema(s) at `path`. */
export function allowedKeysAt(root: z.ZodType, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>();
  for (const s of objectSchemasAt(root, path))
    for (const k of Object.keys(defOf(s).shape ?? {})) keys.add(k);
  return [...keys];
}
