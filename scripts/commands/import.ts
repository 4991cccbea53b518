// `tessera import`: uploads a dataset's images into a project, then its annotation files, which the
// server matches to the images by file name. The annotations are parsed here first, so a bad file
// is rejected before anything is uploaded.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { ImportReport, UploadResult } from '../../shared/api/images.ts';
import { IMPORT_FORMATS, isAnnotationFile, parseAnnotationSet, type ImportFormat } from '../../shared/annotation-set.ts';
import { describeFormatError, baseName } from '../../shared/formats/index.ts';
import { readImageHeader } from '../../shared/image-header.ts';
import { connect, resolveProject } from '../api-client.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { progress } from '../progress.ts';

const usage = `usage: tessera import --server URL --project ID|NAME --format coco|yolo|voc|labelstudio [--annotator NAME] INPUT

Imports annotations (and the images beside them) into a project.
  INPUT   coco, labelstudio: the .json file; images are looked for in its folder and below.
          voc: one .xml file or a folder of them; images in the same tree.
          yolo: the folder with classes.txt (or data.yaml), labels/ and images/.
Images are uploaded first (content-addressed: ones the project has are not stored twice), then the
annotations, matched to images by file name. An image whose document already has shapes is skipped.
Signs in with TESSERA_TOKEN, or TESSERA_USER and TESSERA_PASSWORD.`;

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;
const BATCH_BYTES = 32 * 1024 * 1024;
const BATCH_FILES = 32;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      server: { type: 'string' },
      project: { type: 'string' },
      format: { type: 'string' },
      annotator: { type: 'string' },
      token: { type: 'string' },
    }, usage);
    if (!values.server || !values.project || !values.format || positionals.length !== 1) throw new UsageError(usage);
    const format = values.format as ImportFormat;
    if (!IMPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, not "${values.format}"`);
    const input = positionals[0];
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      throw new Error(`${input}: no such file or folder`);
    }
    const root = isDir ? input : dirname(input);
    const all = walk(root);
    const imagePaths = all.filter((p) => IMAGE_EXT.test(p));
    const annotationPaths = isDir ? all.filter((p) => isAnnotationFile(format, relative(root, p))) : [input];
    const annotationFiles = annotationPaths.map((p) => ({ name: relative(root, p) || basename(p), text: readFileSync(p, 'utf8') }));

    // Sizes from headers only (no decoding): YOLO needs them, and a broken image is named now.
    const sizes = new Map<string, { width: number; height: number }>();
    for (const p of imagePaths) {
      const h = readImageHeader(readFileSync(p));
      if (!h.ok) throw new Error(`${p}: ${h.error.message}`);
      sizes.set(baseName(p), { width: h.value.displayWidth, height: h.value.displayHeight });
    }
    const parsed = await parseAnnotationSet(format, annotationFiles, { sizes, annotator: values.annotator });
    if (!parsed.ok) throw new Error(describeFormatError(parsed.error));
    const wanted = new Set(parsed.value.images.map((i) => baseName(i.fileName)));
    const toUpload = imagePaths.filter((p) => wanted.has(baseName(p)));

    const api = await connect(values.server, process.env, values.token);
    const project = await resolveProject(api, values.project);
    const bar = progress('uploading images', toUpload.length);
    let sent = 0;
    let created = 0;
    for (let i = 0; i < toUpload.length; ) {
      const form = new FormData();
      let bytes = 0;
      let n = 0;
      while (i < toUpload.length && n < BATCH_FILES && (n === 0 || bytes < BATCH_BYTES)) {
        const data = readFileSync(toUpload[i]);
        form.append('files', new Blob([data]), basename(toUpload[i]));
        bytes += data.byteLength;
        n++;
        i++;
      }
      const r = await api.json<UploadResult>(`/api/projects/${project.id}/images`, { method: 'POST', body: form });
      created += r.items.filter((x) => x.created).length;
      sent += n;
      bar.tick(sent);
    }
    bar.done(`${toUpload.length} images: ${created} new, ${toUpload.length - created} already in "${project.name}"`);

    const form = new FormData();
    form.append('format', format);
    if (values.annotator) form.append('annotator', values.annotator);
    for (const f of annotationFiles) form.append('files', new Blob([f.text]), f.name);
    const report = await api.json<ImportReport>(`/api/projects/${project.id}/imports`, { method: 'POST', body: form });
    console.log(`imported ${report.shapes} shapes into ${report.annotated.length} images of "${project.name}"`);
    if (report.classesCreated.length) console.log(`created label classes: ${report.classesCreated.join(', ')}`);
    if (report.skipped.length) {
      console.log(`skipped ${report.skipped.length}:`);
      for (const s of report.skipped.slice(0, 20)) console.log(`  ${s.fileName}: ${s.reason}`);
      if (report.skipped.length > 20) console.log(`  … and ${report.skipped.length - 20} more`);
    }
  },
};
