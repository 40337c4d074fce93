/**
 * Test-only: a value each contract method's zod input accepts, built by walking the schema, so a
 * suite can call every method the contract declares (new methods included) without a fixed list.
 * Strings are chosen by their key (`path`, `folder`, `timeZone`…) through `stringFor`, then by trying a
 * few candidates against the schema.
 */
import type { z } from 'zod';

type Def = Readonly<{
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: ReadonlyArray<z.ZodType>;
  values?: ReadonlyArray<unknown>;
  in?: z.ZodType;
}>;

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

export type SampleContext = Readonly<{ stringFor: (key: string) => string | undefined; numberFor?: (key: string) => number | undefined }>;

export function sampleInput(schema: z.ZodType, ctx: SampleContext, key = ''): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(def.shape ?? {})) {
        out[k] = sampleInput(s, ctx, k);
      }
      return out;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return sampleInput(def.innerType as z.ZodType, ctx, key);
    case 'pipe':
      return sampleInput(def.in as z.ZodType, ctx, key);
    case 'array':
      return [sampleInput(def.element as z.ZodType, ctx, key)];
    case 'record':
      return {};
    case 'union':
      return sampleInput((def.options ?? [])[0] as z.ZodType, ctx, key);
    case 'enum':
      return (schema as unknown as { options: ReadonlyArray<unknown> }).options[0];
    case 'literal':
      return (def.values ?? [])[0];
    case 'boolean':
      return true;
    case 'number': {
      const wanted = ctx.numberFor?.(key);
      if (wanted !== undefined && schema.safeParse(wanted).success) {
        return wanted;
      }
      const n = schema as unknown as { minValue: number | null };
      return n.minValue !== null && Number.isFinite(n.minValue) ? n.minValue : 1;
    }
    case 'string': {
      const candidates = [ctx.stringFor(key), 'UTC', '#aabbcc', 'probe', '4xx'].filter((c): c is string => c !== undefined);
      return candidates.find((c) => schema.safeParse(c).success) ?? 'probe';
    }
    default:
      return null;
  }
}
