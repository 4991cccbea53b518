// Built-in stage `command`: runs an existing program (no shell) on an exported copy of the data,
// e.g. `run: [python3, clean.py, "{input}", "{output}"]`. {input} is a folder with the project's
// annotations in `format`; {output} an empty folder whose files become the stage's output (blobs).
import { join } from 'node:path';
import { z } from 'zod';
import { defineStage, StageError } from '../../../shared/stage.ts';
import type { StageFiles } from '../../ports/stage-files.ts';
import { EXPORT_FORMATS, projectDataset, writeFormat } from './project-dataset.ts';

const MAX_OUTPUT_FILES = 1_000;
/** What the program may leave in {output} in all: it is read into memory and stored as blobs. */
const MAX_OUTPUT_BYTES = 1 << 30;

/** The stage over `files` (the job process's filesystem: server/ports/stage-files.ts). */
export const commandStage = (files: StageFiles) => defineStage({
  name: 'command',
  version: 2,
  description: 'Runs a program (no shell) on an exported copy of the annotations',
  cache: false,
  params: z
    .object({
      run: z.array(z.string()).min(1),
      format: z.enum(EXPORT_FORMATS).default('coco'),
      /** Working directory for the program (default: the job's temp dir). */
      cwd: z.string().optional(),
      /** The program is stopped and the job failed when it runs longer (default one hour, at most a day). */
      timeoutMs: z.number().int().min(100).max(86_400_000).default(3_600_000),
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
    files.mkdirs(output);
    files.mkdirs(input);
    const written = writeFormat(await projectDataset(ctx), ctx.params.format);
    for (const [name, text] of written.files) {
      // Names come from image names: one that would land outside {input} is refused, not written.
      const target = join(input, name);
      if (!target.startsWith(`${input}/`)) throw new StageError(`command: the exported file name ${JSON.stringify(name)} leaves {input}`, { code: 'input', retryable: false });
      files.write(target, text);
    }
    const argv = ctx.params.run.map((a) => a.replaceAll('{input}', input).replaceAll('{output}', output));
    ctx.log.info(`running ${argv.map((a) => JSON.stringify(a)).join(' ')}`);
    ctx.progress(0.8, `running ${argv[0]}`);
    const r = await ctx.exec(argv[0], argv.slice(1), { cwd: ctx.params.cwd, timeoutMs: ctx.params.timeoutMs });
    // Links the program left in {output} are not followed: what is kept is what it wrote there.
    const produced = files.walk(output, { hidden: true, maxFiles: MAX_OUTPUT_FILES });
    if (produced.length > MAX_OUTPUT_FILES) throw new StageError(`command: wrote more than ${MAX_OUTPUT_FILES} files to {output}`, { code: 'output', retryable: false });
    const total = produced.reduce((n, f) => n + f.size, 0);
    if (total > MAX_OUTPUT_BYTES) throw new StageError(`command: wrote ${total} bytes to {output}, more than ${MAX_OUTPUT_BYTES}`, { code: 'output', retryable: false });
    const kept = [];
    for (const f of produced) {
      const bytes = files.read(join(output, f.path));
      kept.push({ name: f.path, sha256: await ctx.blobs.put(bytes), bytes: bytes.byteLength });
    }
    return { stdout: r.stdout.slice(-10_000), files: kept };
  },
});
