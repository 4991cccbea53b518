// Runs the real `tessera convert` CLI on temp folders: fixtures in every direction, image sizes
// from real image headers (EXIF orientation included), progress, and each rejection leaving OUTDIR empty.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../shared/fixtures/interop/', import.meta.url));
const fx = (name: string) => path.join(fixtures, name);
const handmade = (name: string) => fileURLToPath(new URL(`../../shared/formats/testdata/${name}`, import.meta.url));

interface Run { code: number; stdout: string; stderr: string }
const tessera = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile('node', ['scripts/tessera.js', ...args], { cwd: repo, env: { ...process.env, TESSERA_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'tessera-convert-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
const dir = async (name: string) => {
  const d = path.join(tmp, name);
  await mkdir(d, { recursive: true });
  return d;
};
const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#888' } }).png().toBuffer();

/** A YOLO folder: classes, label files and real images of the given stored size and orientation. */
async function yoloFolder(name: string, images: { stem: string; w: number; h: number; orientation?: number; label?: string }[], classes = 'a\nb\n') {
  const root = await dir(name);
  await mkdir(path.join(root, 'images'), { recursive: true });
  await mkdir(path.join(root, 'labels'), { recursive: true });
  await writeFile(path.join(root, 'classes.txt'), classes);
  for (const im of images) {
    let s = sharp({ create: { width: im.w, height: im.h, channels: 3, background: '#888' } });
    if (im.orientation) s = s.withMetadata({ orientation: im.orientation });
    await writeFile(path.join(root, 'images', `${im.stem}.jpg`), await s.jpeg().toBuffer());
    if (im.label !== undefined) await writeFile(path.join(root, 'labels', `${im.stem}.txt`), im.label);
  }
  return root;
}

/** Asserts a rejection: exit code, one line on stderr naming file and position, OUTDIR still empty. */
async function expectRejected(r: Run, outDir: string, file: string, position: string, problem: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`tessera convert: ${file}: ${position}: `)).toBe(true);
  expect(lines[0]).toMatch(problem);
  expect(await readdir(outDir)).toEqual([]);
  expect((await readdir(path.dirname(outDir))).filter((f) => f.includes('.tmp-'))).toEqual([]);
}

describe('tessera convert', () => {
  it('--help prints the usage line first', async () => {
    const r = await tessera('convert', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('usage: tessera convert --from coco|yolo|voc|labelstudio --to coco|yolo|voc [--yolo-task detect|segment] [--annotator WHO] [--force] INPUT OUTDIR');
  });

  it('rejects bad arguments with a non-zero exit', async () => {
    const r = await tessera('convert', '--from', 'csv', '--to', 'coco', 'a', 'b');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--from must be one of coco, yolo, voc, labelstudio/);
  });

  it('with no arguments says what is missing first', async () => {
    const r = await tessera('convert');
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('tessera convert: missing --from (one of coco, yolo, voc, labelstudio)');
    const t = await tessera('convert', '--from', 'voc');
    expect(t.stderr.split('\n')[0]).toBe('tessera convert: missing --to (one of coco, yolo, voc)');
  });

  it("VOC → COCO on labelme's export: empty elements absent, boxes inside the image, the clamp reported", async () => {
    const out = path.join(tmp, 'labelme-coco');
    const r = await tessera('convert', '--from', 'voc', '--to', 'coco', handmade('labelme-voc.xml'), out);
    expect(r.code).toBe(0);
    const coco = JSON.parse(await readFile(path.join(out, 'annotations.json'), 'utf8'));
    expect(coco.images[0]).toMatchObject({ file_name: 'street_0001.jpg', width: 500, height: 330 });
    // car (0, 83)–(120.5, 330) → [−1, 82, 121.5, 248] clamped to [0, 82, 120.5, 248]
    expect(coco.annotations[1]).toMatchObject({ bbox: [0, 82, 120.5, 248], area: 120.5 * 248, iscrowd: 0 });
    expect(coco.annotations[0].attributes).toBeUndefined();
    expect(r.stderr).toBe(`warning: ${handmade('labelme-voc.xml')}: 1 box clamped to the 500×330 image (VOC bounds are 1 ≤ xmin ≤ xmax ≤ width, 1 ≤ ymin ≤ ymax ≤ height)\n`);
  });

  it('COCO → YOLO: classes.txt and one label file per image, normalised', async () => {
    const out = path.join(tmp, 'coco-yolo');
    const r = await tessera('convert', '--from', 'coco', '--to', 'yolo', fx('01_datumaro_coco_instances_val.json'), out);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/converted 1 image, 2 shapes, 3 classes from coco to yolo \(YOLO detection labels: one box per annotation, polygons as their bounding boxes\)/);
    expect(await readFile(path.join(out, 'classes.txt'), 'utf8')).toBe('a\nb\nc\n');
    expect(await readFile(path.join(out, 'data.yaml'), 'utf8')).toMatch(/\nnames:\n  0: "a"\n  1: "b"\n  2: "c"\n$/);
    // on 5×10 (detection, the default): polygon (0,0)(1,0)(1,2)(0,2) as its box, cx 0.5/5, cy 1/10,
    // w 1/5, h 2/10; the crowd box [0,0,1,9] is skipped (YOLO has no ignore regions; a crowd must
    // not become a training target); both with a warning
    expect(await readFile(path.join(out, 'labels', 'b.txt'), 'utf8')).toBe('0 0.1 0.1 0.2 0.2\n');
    expect(r.stderr).toBe(
      'warning: 1 polygons written as their bounding boxes (detection labels; the segment task keeps polygons)\n' +
        'warning: 1 crowd regions skipped: YOLO has no ignore regions, so a crowd would become a training target\n',
    );
  });

  it('COCO → YOLO --yolo-task segment: polygons as polygons, and says so', async () => {
    const out = path.join(tmp, 'coco-yolo-seg');
    const r = await tessera('convert', '--from', 'coco', '--to', 'yolo', '--yolo-task', 'segment', fx('01_datumaro_coco_instances_val.json'), out);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/\(YOLO segmentation labels: one polygon per annotation, boxes as 4-corner polygons\)/);
    // the polygon (0,0)(1,0)(1,2)(0,2) → 0 0 0.2 0 0.2 0.2 0 0.2
    expect(await readFile(path.join(out, 'labels', 'b.txt'), 'utf8')).toBe('0 0 0 0.2 0 0.2 0.2 0 0.2\n');
    const bad = await tessera('convert', '--from', 'coco', '--to', 'yolo', '--yolo-task', 'pose', fx('01_datumaro_coco_instances_val.json'), path.join(tmp, 'x'));
    expect(bad.stderr.split('\n')[0]).toBe('tessera convert: --yolo-task must be one of detect, segment');
    const notYolo = await tessera('convert', '--from', 'coco', '--to', 'voc', '--yolo-task', 'segment', fx('01_datumaro_coco_instances_val.json'), path.join(tmp, 'x'));
    expect(notYolo.stderr.split('\n')[0]).toBe('tessera convert: --yolo-task applies to --to yolo only');
  });

  it('VOC → COCO: the 1-based bounds shifted', async () => {
    const out = path.join(tmp, 'voc-coco');
    const r = await tessera('convert', '--from', 'voc', '--to', 'coco', fx('04_datumaro_voc_2007_000001.xml'), out);
    expect(r.code).toBe(0);
    const coco = JSON.parse(await readFile(path.join(out, 'annotations.json'), 'utf8'));
    expect(coco.annotations.map((a: { bbox: number[] }) => a.bbox)).toEqual([[0, 1, 3, 3], [3, 4, 3, 3]]);
    expect(coco.annotations[0].attributes).toEqual({ pose: 'Unspecified', truncated: true, difficult: false });
    // the person's <part> (head) and <actions> have no COCO form: said, not dropped silently
    expect(r.stderr).toBe(
      'warning: 1 VOC <part> boxes dropped: COCO detection has no form for them\n' +
        'warning: 1 VOC <actions> lists dropped: COCO detection has no form for them\n',
    );
  });

  it('YOLO → VOC with sizes read from the images after EXIF orientation', async () => {
    // img_4 is shown 640×494; stored as 494×640 turned by orientation 6, as phones write it
    const input = await yoloFolder(
      'yolo-in',
      [
        { stem: 'img_4', w: 494, h: 640, orientation: 6, label: await readFile(fx('07_lsconv_yolo_labels_img_4.txt'), 'utf8') },
        { stem: 'bg', w: 30, h: 20 },
      ],
      await readFile(fx('06_lsconv_yolo_classes.txt'), 'utf8'),
    );
    const out = path.join(tmp, 'yolo-voc');
    const r = await tessera('convert', '--from', 'yolo', '--to', 'voc', input, out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await readdir(path.join(out, 'Annotations'))).sort()).toEqual(['bg.xml', 'img_4.xml']);
    const xml = await readFile(path.join(out, 'Annotations', 'img_4.xml'), 'utf8');
    expect(xml).toContain('<width>640</width>\n    <height>494</height>');
    // first line: box [227, 261, 22, 35] → VOC (228, 262)–(249, 296)
    const b = [...xml.matchAll(/<(?:xmin|ymin|xmax|ymax)>([^<]*)</g)].slice(0, 4).map((m) => Number(m[1]));
    expect(b).toEqual([228, 262, 249, 296]);
    expect(xml).toContain('<name>number</name>');
  });

  it('Label Studio → COCO, most recent annotation or the one named by --annotator', async () => {
    const out = path.join(tmp, 'ls-coco');
    const r = await tessera('convert', '--from', 'labelstudio', '--to', 'coco', fx('08_lsconv_labelstudio_export_2annotators.json'), out);
    expect(r.code).toBe(0);
    const coco = JSON.parse(await readFile(path.join(out, 'annotations.json'), 'utf8'));
    expect(coco.annotations[0].bbox[0]).toBeCloseTo(1060.8378870673953, 6);
    const out2 = path.join(tmp, 'ls-coco-2');
    await tessera('convert', '--from', 'labelstudio', '--to', 'coco', '--annotator', '2', fx('08_lsconv_labelstudio_export_2annotators.json'), out2);
    const coco2 = JSON.parse(await readFile(path.join(out2, 'annotations.json'), 'utf8'));
    expect(coco2.annotations[0].bbox[0]).toBeCloseTo(1040.4371584699454, 6);
  });

  it('refuses to overwrite existing output unless --force', async () => {
    const out = await dir('existing');
    await writeFile(path.join(out, 'annotations.json'), 'old');
    await writeFile(path.join(out, 'keep.txt'), 'mine');
    const args = ['convert', '--from', 'voc', '--to', 'coco', fx('04_datumaro_voc_2007_000001.xml'), out];
    const r = await tessera(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already exists; remove it or pass --force/);
    expect(await readFile(path.join(out, 'annotations.json'), 'utf8')).toBe('old');
    expect((await tessera(...args, '--force')).code).toBe(0);
    expect(JSON.parse(await readFile(path.join(out, 'annotations.json'), 'utf8')).annotations).toHaveLength(2);
    expect(await readFile(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('shows progress on stderr when converting a folder of many images', async () => {
    const input = await dir('many');
    await mkdir(path.join(input, 'images'));
    await mkdir(path.join(input, 'labels'));
    await writeFile(path.join(input, 'classes.txt'), 'a\n');
    const image = await png(64, 32);
    for (let i = 0; i < 2000; i++) {
      await writeFile(path.join(input, 'images', `im${i}.png`), image);
      if (i % 2) await writeFile(path.join(input, 'labels', `im${i}.txt`), '0 0.5 0.5 0.25 0.5\n');
    }
    const out = path.join(tmp, 'many-out');
    const r = await tessera('convert', '--from', 'yolo', '--to', 'coco', input, out);
    expect(r.code).toBe(0);
    // not a terminal: a line every two seconds and one at the end of each step
    expect(r.stderr).toMatch(/^reading image sizes 2000\/2000 \(100%\) [\d.]+ s$/m);
    expect(r.stderr).toMatch(/^reading label files 1000\/1000 \(100%\)/m);
    const coco = JSON.parse(await readFile(path.join(out, 'annotations.json'), 'utf8'));
    expect([coco.images.length, coco.annotations.length]).toEqual([2000, 1000]);
    expect(coco.annotations[0].bbox).toEqual([24, 8, 16, 16]);
  });
});

describe('tessera convert rejects malformed input: file, position, non-zero exit, empty OUTDIR', () => {
  const cocoText = () => readFile(fx('01_datumaro_coco_instances_val.json'), 'utf8');

  it('truncated JSON', async () => {
    const input = path.join(await dir('bad-trunc'), 'a.json');
    const text = await cocoText();
    await writeFile(input, text.slice(0, 200));
    const lines = text.slice(0, 200).split('\n');
    const out = await dir('out-trunc');
    const r = await tessera('convert', '--from', 'coco', '--to', 'yolo', input, out);
    await expectRejected(r, out, input, `line ${lines.length}, column ${lines[lines.length - 1].length + 1}`, /unexpected end of input/);
  });

  it('an unknown category id', async () => {
    const j = JSON.parse(await cocoText());
    j.annotations[1].category_id = 3;
    const input = path.join(await dir('bad-cat'), 'a.json');
    await writeFile(input, JSON.stringify(j));
    const out = await dir('out-cat');
    await expectRejected(await tessera('convert', '--from', 'coco', '--to', 'voc', input, out), out, input, 'annotations[1].category_id', /unknown category id 3/);
  });

  it('a negative width', async () => {
    const j = JSON.parse(await cocoText());
    j.annotations[1].bbox[2] = -4;
    const input = path.join(await dir('bad-width'), 'a.json');
    await writeFile(input, JSON.stringify(j));
    const out = await dir('out-width');
    await expectRejected(await tessera('convert', '--from', 'coco', '--to', 'yolo', input, out), out, input, 'annotations[1].bbox[2]', /negative width -4/);
  });

  it('a YOLO line with four numbers', async () => {
    const input = await yoloFolder('bad-yolo4', [
      { stem: 'ok', w: 10, h: 10, label: '0 0.5 0.5 0.1 0.1\n' },
      { stem: 'x', w: 10, h: 10, label: '0 0.5 0.5 0.1 0.1\n1 0.5 0.5 0.1\n' },
    ]);
    const out = await dir('out-yolo4');
    const r = await tessera('convert', '--from', 'yolo', '--to', 'coco', input, out);
    await expectRejected(r, out, path.join(input, 'labels', 'x.txt'), 'line 2', /got 3 numbers after the class id/);
  });

  it('a YOLO value outside [0, 1]', async () => {
    const input = await yoloFolder('bad-yolo-range', [{ stem: 'x', w: 10, h: 10, label: '1 0.5 1.5 0.1 0.1\n' }]);
    const out = await dir('out-yolo-range');
    const r = await tessera('convert', '--from', 'yolo', '--to', 'voc', input, out);
    await expectRejected(r, out, path.join(input, 'labels', 'x.txt'), 'line 1, field 3', /1\.5 is outside \[0, 1\]/);
  });

  it('a VOC file without <size>, among good ones', async () => {
    const input = await dir('bad-voc');
    const good = await readFile(fx('04_datumaro_voc_2007_000001.xml'), 'utf8');
    await writeFile(path.join(input, 'a.xml'), good);
    await writeFile(path.join(input, 'b.xml'), good.replace(/<size>[\s\S]*<\/size>/, '').replace('2007_000001', 'b'));
    const out = await dir('out-voc');
    const r = await tessera('convert', '--from', 'voc', '--to', 'coco', input, out);
    await expectRejected(r, out, path.join(input, 'b.xml'), 'size', /missing <size>/);
  });

  it('JSON nested 200,000 deep: a position, not a stack overflow', async () => {
    const input = path.join(await dir('bad-deep'), 'deep.json');
    await writeFile(input, '['.repeat(200000));
    const out = await dir('out-deep');
    const r = await tessera('convert', '--from', 'coco', '--to', 'yolo', input, out);
    await expectRejected(r, out, input, 'line 1, column 200001', /invalid JSON: unexpected end of input/);
    expect(r.stderr).not.toMatch(/call stack/);
    // valid JSON, but an attribute nested that deep: rejected by its path instead of crashing the writer
    const valid = path.join(path.dirname(input), 'valid.json');
    const coco = { images: [{ id: 1, file_name: 'a.jpg', width: 10, height: 10 }], categories: [{ id: 1, name: 'a' }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 2, 2], attributes: { x: 0 } }] };
    await writeFile(valid, JSON.stringify(coco).replace('"x":0', `"x":${'['.repeat(200000)}${']'.repeat(200000)}`));
    await expectRejected(await tessera('convert', '--from', 'coco', '--to', 'coco', valid, out), out, valid, 'annotations[0].attributes', /nesting too deep/);
  });

  it('an OUTDIR that does not exist yet is not created', async () => {
    const input = path.join(await dir('bad-none'), 'a.json');
    await writeFile(input, '{');
    const out = path.join(tmp, 'never-made');
    const r = await tessera('convert', '--from', 'coco', '--to', 'yolo', input, out);
    expect(r.code).not.toBe(0);
    expect(await readdir(tmp)).not.toContain('never-made');
  });
});
