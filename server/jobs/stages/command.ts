// Built-in stage `command`: runs an existing program (no shell) on an exported copy of the data,
// e.g. `run: [python3, clean.py, "{input}", "{output}"]`. {input} is a folder with the project's
// annotations in `format`; {output} an empty folder whose files become the stage's output (blobs).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { defineStage, StageError } from '../../../shared/stage.ts';
import { EXPORT_FORMATS, projectDataset, writeFormat } from './project-dataset.ts';

const MAX_OUTPUT_FILES = 1_000;

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

export default defineStage({
  name: 'command',
  version: 1,
  description: 'Runs a program (no shell) on an exported copy of the annotations',
  cache: false,
  params: z
    .object({
      run: z.array(z.string()).min(1),
      format: z.enum(EXPORT_FORMATS).default('coco'),
      /** Working directory for the program (default: the job's temp dir). */
      cwd: z.string().optional(),
    })
    .strict(),
  input: z.unknown(),
  output: z.object({
    stdout: z.string(),
    files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number() })),
  }),
  async work(_input, ctx) {
    const input = join(ctx.tempDir, 'input');
    const output = join(ctx.tempDir, 'output');
    mkdirSync(output, { recursive: true });
    const written = writeFormat(await projectDataset(ctx), ctx.params.format);
    for (const [name, text] of written.files) {
      mkdirSync(dirname(join(input, name)), { recursive: true });
      writeFileSync(join(input, name), text);
    }
    mkdirSync(input, { recursive: true });
    const argv = ctx.params.run.map((a) => a.replaceAll('{input}', input).replaceAll('{output}', output));
    ctx.log.info(`running ${argv.map((a) => JSON.stringify(a)).join(' ')}`);
    ctx.progress(0.8, `running ${argv[0]}`);
    const r = await ctx.exec(argv[0], argv.slice(1), { cwd: ctx.params.cwd });
    const produced = filesUnder(output);
    if (produced.length > MAX_OUTPUT_FILES) throw new StageError(`command: wrote ${produced.length} files to {output}, more than ${MAX_OUTPUT_FILES}`, { code: 'output', retryable: false });
    const files = [];
    for (const p of produced) {
      const bytes = readFileSync(p);
      files.push({ name: relative(output, p), sha256: await ctx.blobs.put(bytes), bytes: bytes.byteLength });
    }
    return { stdout: r.stdout.slice(-10_000), files };
  },
});
