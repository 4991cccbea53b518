// An example user stage (README "Writing a stage"): reads the `report` stage's class counts and
// flags classes whose share of all shapes is above `maxShare` or below `minShare`.
import { z } from 'zod';
import { defineStage } from '../shared/stage.ts';

export default defineStage({
  name: 'class-balance',
  version: 1,
  description: 'Flags over- and under-represented classes in a report',
  params: z.object({
    maxShare: z.number().min(0).max(1).default(0.5),
    minShare: z.number().min(0).max(1).default(0.02),
  }),
  // The output of the step it needs (`report`); only the fields read here are declared.
  input: z.object({
    classes: z.array(z.object({ name: z.string(), shapes: z.number() })),
  }),
  output: z.object({
    total: z.number(),
    shares: z.record(z.string(), z.number()),
    over: z.array(z.string()),
    under: z.array(z.string()),
  }),
  async work(input, ctx) {
    const total = input.classes.reduce((n, c) => n + c.shapes, 0);
    const shares: Record<string, number> = {};
    for (const [i, c] of input.classes.entries()) {
      shares[c.name] = total ? c.shapes / total : 0;
      ctx.progress((i + 1) / input.classes.length, c.name);
    }
    const over = Object.keys(shares).filter((n) => shares[n] > ctx.params.maxShare);
    const under = Object.keys(shares).filter((n) => shares[n] < ctx.params.minShare);
    if (over.length || under.length) ctx.log.warn('unbalanced:', { over, under });
    return { total, shares, over, under };
  },
});
