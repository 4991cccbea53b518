// The readers' duplicate checks are linear: 50,000 distinct class names parse in every class
// list (a quadratic check over 5,000 lines once blocked the server for 14.6 s), and a duplicate
// at the very end is still found and named. Timing lives in `npm run bench:formats`, not here.
import { describe, expect, it } from 'vitest';
import { parseCoco } from './coco-parse.ts';
import { parseLabelStudio } from './labelstudio.ts';
import { parseYoloClasses } from './yolo-parse.ts';
import { loadYaml } from '../parser-libs.ts';

const yamlLib = await loadYaml();

const N = 50_000;
const names = Array.from({ length: N }, (_, i) => `class_${i}`);

describe('50,000 distinct class names', () => {
  it('classes.txt: all read in line order; a repeat on the last line names both lines', () => {
    const r = parseYoloClasses({ classesText: `${names.join('\n')}\n` }, yamlLib);
    expect(r.ok && r.value.length).toBe(N);
    expect(r.ok && r.value[N - 1]).toBe(`class_${N - 1}`);
    const dup = parseYoloClasses({ classesText: `${names.join('\n')}\nclass_7\n` }, yamlLib);
    expect(dup).toEqual({ ok: false, error: { file: 'classes.txt', position: `line ${N + 1}`, message: 'duplicate class name "class_7" (first on line 8)' } });
  });

  it('data.yaml: names as an {id: name} map (the YAML library checks map keys quadratically: off), repeats found', () => {
    const map = parseYoloClasses({ dataYamlText: `names:\n${names.map((n, i) => `  ${i}: ${n}`).join('\n')}\n` }, yamlLib);
    expect(map.ok && map.value[N - 1]).toBe(`class_${N - 1}`);
    expect(parseYoloClasses({ dataYamlText: 'names:\n  0: a\n  1: b\n  0: c\n' }, yamlLib)).toEqual({
      ok: false,
      error: { file: 'data.yaml', position: 'line 4, column 3', message: 'duplicate key "0"' },
    });
    expect(parseYoloClasses({ dataYamlText: 'names: [a]\nnc: 1\nnames: [b]\n' }, yamlLib)).toMatchObject({ ok: false, error: { position: 'line 3, column 1' } });
    const dup = parseYoloClasses({ dataYamlText: `names: [${names.slice(0, 100).join(', ')}, class_0]\n` }, yamlLib);
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.error).toMatchObject({ position: 'names[100]', message: 'duplicate class name "class_0"' });
  });

  it('COCO categories', () => {
    const coco = { images: [], annotations: [], categories: names.map((name, i) => ({ id: i + 1, name })) };
    const r = parseCoco(JSON.stringify(coco), 'c.json');
    expect(r.ok && r.value.categories.length).toBe(N);
    coco.categories.push({ id: N + 1, name: 'class_3' });
    const dup = parseCoco(JSON.stringify(coco), 'c.json');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.error).toMatchObject({ position: `categories[${N}].name`, message: 'duplicate category name "class_3"' });
  });

  it('Label Studio: one region per class, classes in order of first use', () => {
    const result = names.map((n, i) => ({
      id: `r${i}`,
      type: 'rectanglelabels',
      original_width: 100,
      original_height: 100,
      value: { x: 1, y: 1, width: 2, height: 2, rectanglelabels: [n] },
    }));
    // Every name twice: the second use adds no class.
    const tasks = [{ data: { image: 'a.jpg' }, annotations: [{ result: [...result, ...result] }] }];
    const r = parseLabelStudio(JSON.stringify(tasks), 'ls.json');
    expect(r.ok && r.value.categories.length).toBe(N);
    expect(r.ok && r.value.categories[N - 1]).toEqual({ name: `class_${N - 1}` });
    expect(r.ok && r.value.images[0].shapes.length).toBe(2 * N);
  });
});
