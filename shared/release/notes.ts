// Generated release notes and the counts kept in a release record: plain text lines from a diff
// (shown beside the free-text notes) and images/shapes per split and per class.
import { SPLIT_ORDER, type Manifest, type Split } from './manifest.ts';
import type { ReleaseDiff } from './diff.ts';
import { plural } from '../plural.ts';

export interface ReleaseCounts {
  images: number;
  shapes: number;
  tags: number;
  splits: Record<Split, { images: number; shapes: number }>;
  /** Class id → shapes + tags of that class per split. */
  classes: Record<string, Record<Split, number>>;
}

export function releaseCounts(m: Manifest): ReleaseCounts {
  const splits = { train: { images: 0, shapes: 0 }, val: { images: 0, shapes: 0 }, test: { images: 0, shapes: 0 } };
  const classes: Record<string, Record<Split, number>> = {};
  for (const c of m.categories) classes[c.id] = { train: 0, val: 0, test: 0 };
  let shapes = 0;
  let tags = 0;
  const bump = (label: string, split: Split) => ((classes[label] ??= { train: 0, val: 0, test: 0 })[split] += 1);
  for (const im of m.images) {
    splits[im.split].images++;
    splits[im.split].shapes += im.shapes.length;
    shapes += im.shapes.length;
    tags += im.tags.length;
    for (const s of im.shapes) bump(s.label, im.split);
    for (const t of im.tags) bump(t, im.split);
  }
  return { images: m.images.length, shapes, tags, splits, classes };
}

/** Release notes generated from the diff: one line each, empty categories left out. */
export function generatedNotes(diff: ReleaseDiff | null, counts: ReleaseCounts, parentNumber: number | null): string[] {
  const lines: string[] = [];
  const split = SPLIT_ORDER.map((s) => `${s} ${counts.splits[s].images.toLocaleString('en-US')}`).join(', ');
  lines.push(`${plural(counts.images, 'image')} (${split}), ${plural(counts.shapes, 'shape')}, ${plural(counts.tags, 'tag')}.`);
  if (!diff || parentNumber === null) {
    lines.push('First release of the project.');
    return lines;
  }
  const c = diff.counts;
  const parts: string[] = [];
  if (c.imagesAdded) parts.push(`${plural(c.imagesAdded, 'image')} added`);
  if (c.imagesRemoved) parts.push(`${plural(c.imagesRemoved, 'image')} removed`);
  if (c.imagesChanged) parts.push(`${plural(c.imagesChanged, 'image')} changed`);
  lines.push(parts.length ? `Since @${parentNumber}: ${parts.join(', ')}.` : `Same images as @${parentNumber}.`);
  const sp: string[] = [];
  if (c.shapesAdded) sp.push(`${c.shapesAdded.toLocaleString('en-US')} added`);
  if (c.shapesRemoved) sp.push(`${c.shapesRemoved.toLocaleString('en-US')} removed`);
  if (c.shapesMoved) sp.push(`${c.shapesMoved.toLocaleString('en-US')} moved`);
  if (c.shapesRelabelled) sp.push(`${c.shapesRelabelled.toLocaleString('en-US')} relabelled`);
  if (c.shapesChanged) sp.push(`${c.shapesChanged.toLocaleString('en-US')} with changed attributes`);
  if (sp.length) lines.push(`Shapes: ${sp.join(', ')}.`);
  const moved = diff.classes.filter((k) => k.before !== k.after).map((k) => `${k.name} ${k.before} → ${k.after}`);
  if (moved.length) lines.push(`By class: ${moved.join(', ')}.`);
  for (const r of diff.shapes.relabelled.slice(0, 20)) {
    const name = (id: string) => diff.classes.find((k) => k.id === id)?.name ?? id;
    lines.push(`Relabelled ${r.kind} ${r.shape.slice(0, 8)} in ${r.fileName}: ${name(r.from)} → ${name(r.label)}.`);
  }
  return lines;
}
