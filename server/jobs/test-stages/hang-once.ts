// Test stage: the first run (no `started` line in the file yet) writes `started <pid>` and then
// hangs until aborted or killed; later runs write `done <job id>` and finish.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { defineStage } from '../../../shared/stage.ts';

export default defineStage({
  name: 'hang-once',
  version: 1,
  cache: false,
  params: z.object({ file: z.string() }),
  output: z.object({ by: z.number() }),
  async work(_input, ctx) {
    if (!existsSync(ctx.params.file) || !readFileSync(ctx.params.file, 'utf8').includes('started')) {
      appendFileSync(ctx.params.file, `started ${process.pid}\n`);
      await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    }
    appendFileSync(ctx.params.file, `done ${ctx.job.id}\n`);
    return { by: process.pid };
  },
});
