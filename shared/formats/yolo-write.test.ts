// YOLO export's data.yaml (names quoted for PyYAML, splits when known) and the split layout
// labels/<split>/, read back by the YOLO reader from Ultralytics' images/<split>/ folders.
import { describe, expect, it } from 'vitest';
import type { Dataset, FormatResult } from './model.ts';
import { parseYolo, parseYoloClasses } from './yolo-parse.ts';
import { writeYolo } from './yolo-write.ts';
import { loadYaml } from '../parser-libs.ts';

const yamlLib = await loadYaml();

const unwrap = <T>(r: FormatResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const image = (fileName: string, split?: string) => ({
  fileName,
  width: 10,
  height: 10,
  shapes: [{ kind: 'box' as const, label: 'person', points: [0, 0, 5, 5], attrs: {} }],
  ...(split ? { split } : {}),
});

describe('data.yaml', () => {
  it('without splits: names only, every name quoted so that "yes" and "1.5" stay names', () => {
    const d: Dataset = { categories: [{ name: 'person' }, { name: 'yes' }, { name: '1.5' }], images: [image('a.jpg')] };
    const files = unwrap(writeYolo(d)).files;
    expect(files.get('data.yaml')).toBe(
      "# Ultralytics dataset, written by Tessera. No `path`: the dataset root is this file's folder.\n" +
        'names:\n  0: "person"\n  1: "yes"\n  2: "1.5"\n',
    );
    expect(unwrap(parseYoloClasses({ dataYamlText: files.get('data.yaml') }, yamlLib))).toEqual(['person', 'yes', '1.5']);
    expect(files.get('labels/a.txt')).toBe('0 0.25 0.25 0.5 0.5\n');
  });

  it('with splits: train/val/test lines, label files under labels/<split>/', () => {
    const d: Dataset = { categories: [], images: [image('a.jpg', 'train'), image('b.jpg', 'val'), image('c.jpg', 'train')] };
    const out = unwrap(writeYolo(d));
    expect(out.files.get('data.yaml')).toBe(
      "# Ultralytics dataset, written by Tessera. No `path`: the dataset root is this file's folder.\n" +
        'train: images/train\nval: images/val\nnames:\n  0: "person"\n',
    );
    expect([...out.files.keys()].filter((k) => k.startsWith('labels/'))).toEqual(['labels/train/a.txt', 'labels/val/b.txt', 'labels/train/c.txt']);
    expect(out.warnings).toEqual([]);
  });

  it('a split data.yaml cannot name stays under labels/, with a warning', () => {
    const out = unwrap(writeYolo({ categories: [], images: [image('a.jpg', 'holdout'), image('b.jpg', 'test')] }));
    expect([...out.files.keys()]).toEqual(['classes.txt', 'labels/a.txt', 'labels/test/b.txt', 'data.yaml']);
    expect(out.files.get('data.yaml')).toContain('\ntest: images/test\n');
    expect(out.warnings).toEqual(['1 images with a split other than train/val/test: written under labels/ and not listed in data.yaml']);
  });
});

describe('the YOLO reader takes the split from images/<split>/', () => {
  it('train, val and Roboflow\'s valid; other folders are no split', () => {
    const d = unwrap(
      parseYolo({
        classesText: 'person\n',
        labelFiles: new Map([['train/a', '0 0.5 0.5 0.2 0.2\n']]),
        images: ['train/a', 'valid/b', 'val/c', 'extra/d', 'e'].map((key) => ({ key, fileName: `${key.split('/').pop()}.jpg`, width: 10, height: 10 })),
      }, yamlLib),
    );
    expect(d.images.map((im) => im.split)).toEqual(['train', 'val', 'val', undefined, undefined]);
    // and YOLO → YOLO keeps the layout
    expect([...unwrap(writeYolo(d)).files.keys()]).toContain('labels/train/a.txt');
  });
});
