import type { z } from 'zod';

/** One contract entry: the zod schemas of a call's input and output. */
export type MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = Readonly<{ input: I; output: O }>;

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output };
}
