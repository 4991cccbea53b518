// `npm run bench:formats`: exports 10,000 images with 200,000 shapes to COCO, YOLO (detect and
// segment) and VOC and parses the COCO back, beside JSON.stringify / JSON.parse of the same COCO
// object in this run; and reads class lists of 50,000 names beside splitting them into a Set.
import { parseCoco } from '../shared/formats/coco-parse.ts';
import { toCoco, writeCoco } from '../shared/formats/coco-write.ts';
import type { Dataset, Shape } from '../shared/formats/model.ts';
import { writeVoc } from '../shared/formats/voc-write.ts';
import { writeYolo } from '../shared/formats/yolo-write.ts';
import { parseYoloClasses } from '../shared/formats/yolo-parse.ts';
import { loadYaml } from '../shared/parser-libs.ts';

const yamlLib = await loadYaml();

const IMAGES = 10_000;
const SHAPES = 200_000;
const RUNS = 5;

/** Deterministic data: 70% boxes, 30% polygons of 6–12 points, float pixel coordinates. */
function makeDataset(): Dataset {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const names = Array.from({ length: 20 }, (_, i) => `class_${i}`);
  const perImage = SHAPES / IMAGES;
  const images = Array.from({ length: IMAGES }, (_, i) => {
    const W = 640 + Math.floor(next() * 1280);
    const H = 480 + Math.floor(next() * 720);
    const shapes: Shape[] = [];
    for (let k = 0; k < perImage; k++) {
      const label = names[Math.floor(next() * names.length)];
      const x = next() * W * 0.8;
      const y = next() * H * 0.8;
      const w = 1 + next() * (W - x - 1);
      const h = 1 + next() * (H - y - 1);
      if (next() < 0.7) shapes.push({ kind: 'box', label, points: [x, y, w, h], attrs: {} });
      else {
        const n = 6 + Math.floor(next() * 7);
        const points: number[] = [];
        for (let p = 0; p < n; p++) points.push(x + next() * w, y + next() * h);
        shapes.push({ kind: 'polygon', label, points, attrs: {} });
      }
    }
    return { fileName: `images/img_${String(i).padStart(6, '0')}.jpg`, width: W, height: H, shapes };
  });
  return { categories: names.map((name, i) => ({ id: i + 1, name })), images };
}

/** Median wall times of `RUNS` calls of each function after one warm-up, interleaved so that
 * a measured function and its baseline see the same machine load. */
function time(...fns: (() => unknown)[]): number[] {
  for (const fn of fns) fn();
  const t: number[][] = fns.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      fn();
      t[k].push(performance.now() - t0);
    });
  }
  return t.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const rate = (ms: number) => `${round(SHAPES / ms / 1000, 2)}M shapes/s`;

const dataset = makeDataset();
const cocoObject = toCoco(dataset).coco;
const text = writeCoco(dataset).files.get('annotations.json')!;
const mb = Buffer.byteLength(text) / 1e6;

const [jsonStringify, cocoExport] = time(
  () => JSON.stringify(cocoObject),
  () => writeCoco(dataset),
);
const [jsonParse, cocoImport] = time(
  () => JSON.parse(text),
  () => {
    const r = parseCoco(text, 'bench.json');
    if (!r.ok) throw new Error(r.error.message);
  },
);
const [yoloExport, yoloSegmentExport, vocExport] = time(
  () => writeYolo(dataset),
  () => writeYolo(dataset, { task: 'segment' }),
  () => writeVoc(dataset),
);

// Class lists: the readers' duplicate checks must stay linear (a quadratic one over 5,000 lines
// once blocked the server for 14.6 s). Baseline: splitting the text into a Set of lines.
const CLASSES = 50_000;
const names = Array.from({ length: CLASSES }, (_, i) => `class_${i}`);
const classesText = `${names.join('\n')}\n`;
const dataYamlText = `names:\n${names.map((n, i) => `  ${i}: ${n}`).join('\n')}\n`;
const ok = (r: { ok: boolean }) => {
  if (!r.ok) throw new Error('class list rejected');
};
const [setBaseline, classesTxt, dataYaml] = time(
  () => new Set(classesText.split('\n')),
  () => ok(parseYoloClasses({ classesText }, yamlLib)),
  () => ok(parseYoloClasses({ dataYamlText }, yamlLib)),
);
const peakRss = process.resourceUsage().maxRSS / 1024;

console.log(`dataset: ${IMAGES} images, ${SHAPES} shapes; COCO JSON ${round(mb)} MB; median of ${RUNS} runs`);
console.log(`COCO export  ${round(cocoExport)} ms (${rate(cocoExport)}, ${round(mb / (cocoExport / 1000))} MB/s)  vs JSON.stringify ${round(jsonStringify)} ms: ${round(cocoExport / jsonStringify, 2)}×`);
console.log(`COCO import  ${round(cocoImport)} ms (${rate(cocoImport)}, ${round(mb / (cocoImport / 1000))} MB/s)  vs JSON.parse ${round(jsonParse)} ms: ${round(cocoImport / jsonParse, 2)}×`);
console.log(`YOLO export  ${round(yoloExport)} ms (${rate(yoloExport)}, ${IMAGES + 1} files)`);
console.log(`YOLO segment ${round(yoloSegmentExport)} ms (${rate(yoloSegmentExport)}, ${IMAGES + 2} files)`);
console.log(`VOC export   ${round(vocExport)} ms (${rate(vocExport)}, ${IMAGES} files)`);
console.log(`classes.txt  ${CLASSES} names ${round(classesTxt)} ms vs split into a Set ${round(setBaseline, 2)} ms; data.yaml {id: name} map ${round(dataYaml)} ms`);
console.log(`peak RSS     ${round(peakRss)} MB`);
console.log(
  JSON.stringify({
    bench: 'formats',
    images: IMAGES,
    shapes: SHAPES,
    coco_export_ms: round(cocoExport),
    json_stringify_ms: round(jsonStringify),
    export_ratio: round(cocoExport / jsonStringify, 2),
    coco_import_ms: round(cocoImport),
    json_parse_ms: round(jsonParse),
    import_ratio: round(cocoImport / jsonParse, 2),
    yolo_export_ms: round(yoloExport),
    yolo_segment_export_ms: round(yoloSegmentExport),
    voc_export_ms: round(vocExport),
    peak_rss_mb: round(peakRss),
    classes_txt_50k_ms: round(classesTxt),
    classes_set_baseline_ms: round(setBaseline, 2),
    data_yaml_50k_ms: round(dataYaml),
    baseline: 'JSON.stringify/JSON.parse',
  }),
);
