// `tessera convert`: offline conversion between annotation formats through Tessera's canonical
// model. A rejected input (or an output that cannot be written) leaves OUTDIR untouched.
import { describeFormatError, describeYoloTask, YOLO_TASKS, type Dataset, type YoloTask } from '../../shared/formats/index.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { formatDataset, INPUT_FORMATS, OUTPUT_FORMATS, readDataset, writeOutput, type InputFormat, type OutputFormat } from '../formats-io.ts';
import { plural } from '../../shared/plural.ts';

const TASKS = Object.values(YOLO_TASKS);

const usage = `usage: tessera convert --from coco|yolo|voc|labelstudio --to coco|yolo|voc [--yolo-task detect|segment] [--annotator WHO] [--force] INPUT OUTDIR

Converts annotations between formats, offline. INPUT by format:
  coco          one COCO detection JSON file
  yolo          a folder with classes.txt (or data.yaml), labels/ and images/ (sizes are read from the images)
  voc           a folder of .xml files (or with an Annotations/ folder), or one .xml file
  labelstudio   one Label Studio JSON export (import only)
OUTDIR receives:
  coco          annotations.json
  yolo          classes.txt, data.yaml and labels/<image stem>.txt (an empty file for an image without shapes;
                labels/<split>/<image stem>.txt when the input's splits are known)
  voc           Annotations/<image stem>.xml
Options:
  --yolo-task T     --to yolo: detect (default: one box per annotation, polygons as their bounding boxes)
                    or segment (one polygon per annotation, multi-part polygons merged, boxes as 4 corners)
  --annotator WHO   Label Studio: take this user's annotation (id, email or username), not the most recent
  --force           replace output files that already exist in OUTDIR
Any problem in INPUT is reported as "file: position: problem" and nothing is written.
Example: tessera convert --from voc --to coco VOC2012/Annotations out/`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        from: { type: 'string' },
        to: { type: 'string' },
        'yolo-task': { type: 'string' },
        annotator: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
      usage,
    );
    const from = values.from as InputFormat;
    const to = values.to as OutputFormat;
    if (values.from === undefined) throw new UsageError(`missing --from (one of ${INPUT_FORMATS.join(', ')})\n${usage}`);
    if (values.to === undefined) throw new UsageError(`missing --to (one of ${OUTPUT_FORMATS.join(', ')})\n${usage}`);
    if (!INPUT_FORMATS.includes(from)) throw new UsageError(`--from must be one of ${INPUT_FORMATS.join(', ')}\n${usage}`);
    if (!OUTPUT_FORMATS.includes(to)) throw new UsageError(`--to must be one of ${OUTPUT_FORMATS.join(', ')}\n${usage}`);
    if (positionals.length !== 2) throw new UsageError(`expected INPUT and OUTDIR\n${usage}`);
    if (values.annotator !== undefined && from !== 'labelstudio') throw new UsageError(`--annotator applies to --from labelstudio only`);
    const task = (values['yolo-task'] ?? YOLO_TASKS.detect) as YoloTask;
    if (values['yolo-task'] !== undefined && to !== 'yolo') throw new UsageError(`--yolo-task applies to --to yolo only`);
    if (!TASKS.includes(task)) throw new UsageError(`--yolo-task must be one of ${TASKS.join(', ')}\n${usage}`);
    const [input, outDir] = positionals;

    const parsed = await readDataset(from, input, { annotator: values.annotator });
    if (!parsed.ok) throw new Error(oneLine(describeFormatError(parsed.error)));
    const out = formatDataset(to, parsed.value, { yolo: { task } });
    if (!out.ok) throw new Error(oneLine(describeFormatError(out.error)));
    await writeOutput(outDir, out.value.files, values.force);

    printWarnings(parsed.value.warnings ?? []);
    printWarnings(out.value.warnings);
    const wrote = to === 'yolo' ? ` (${describeYoloTask(task)})` : '';
    console.log(`converted ${summary(parsed.value)} from ${from} to ${to}${wrote} into ${outDir}`);
  },
};

/** Reader warnings come one per input file (e.g. VOC boxes clamped): the first few, then a count. */
const MAX_WARNINGS = 10;
function printWarnings(warnings: string[]): void {
  for (const w of warnings.slice(0, MAX_WARNINGS)) console.error(`warning: ${w}`);
  if (warnings.length > MAX_WARNINGS) console.error(`warning: … and ${warnings.length - MAX_WARNINGS} more like these`);
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

function summary(d: Dataset): string {
  let shapes = 0;
  for (const im of d.images) shapes += im.shapes.length;
  return `${plural(d.images.length, 'image')}, ${plural(shapes, 'shape')}, ${plural(d.categories.length, 'class', 'classes')}`;
}
