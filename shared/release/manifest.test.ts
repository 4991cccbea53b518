import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { addShape, relabelShape, setTags } from '../doc/index.ts';
import { buildManifest, manifestBytes, revisionContent, type ManifestImageInput } from './manifest.ts';
import { parseManifest } from './parse.ts';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function revision(build: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  build(doc);
  const u = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return u;
}

function image(fileName: string, update: Uint8Array): ManifestImageInput {
  return { blob: sha(fileName), bytes: 10, width: 100, height: 80, fileName, split: 'train', revision: sha(update), ...revisionContent(update) };
}

const cats = [{ id: 'c-car', name: 'car' }, { id: 'c-person', name: 'person' }];

describe('release manifest', () => {
  it('is canonical: the same content in any arrival order gives the same bytes', () => {
    const a = revision((d) => {
      addShape(d, { id: 's2', kind: 'box', label: 'c-car', points: [1, 2, 3, 4] }, { author: 'u1', now: 1 });
      addShape(d, { id: 's1', kind: 'point', label: 'c-person', points: [5.5, 6], attrs: { z: 1, a: { y: 2, b: 3 } } }, { author: 'u1', now: 2 });
      setTags(d, ['c-person', 'c-car']);
    });
    const b = revision((d) => {
      // Other authors, other times, other insertion order: none of it is content.
      setTags(d, ['c-car', 'c-person']);
      addShape(d, { id: 's1', kind: 'point', label: 'c-person', points: [5.5, 6], attrs: { a: { b: 3, y: 2 }, z: 1 } }, { author: 'u9', now: 99 });
      addShape(d, { id: 's2', kind: 'box', label: 'c-car', points: [1, 2, 3, 4] }, { author: 'u8', now: 98 });
    });
    const ia = image('x.jpg', a);
    const ib = { ...image('x.jpg', b), revision: ia.revision };
    const m1 = manifestBytes(buildManifest('p1', cats, [ia, image('y.jpg', a)]));
    const m2 = manifestBytes(buildManifest('p1', cats, [image('y.jpg', a), ib]));
    expect(Buffer.from(m1).toString()).toBe(Buffer.from(m2).toString());
    const text = Buffer.from(m1).toString();
    expect(text).not.toMatch(/\s/);
    expect(text).not.toContain('u1');
    expect(text.startsWith('{"categories":[{"id":"c-car","name":"car"}')).toBe(true);
  });

  it('lists images by blob SHA-256 and shapes by id, with the schema name', () => {
    const u = revision((d) => {
      addShape(d, { id: 'b', kind: 'box', label: 'c-car', points: [0, 0, 1, 1] }, { author: 'u' });
      addShape(d, { id: 'a', kind: 'box', label: 'c-car', points: [0, 0, 2, 2] }, { author: 'u' });
    });
    const m = buildManifest('p1', cats, ['1.jpg', '2.jpg', '3.jpg', '4.jpg'].map((f) => image(f, u)));
    expect(m.schema).toBe('tessera.release/1');
    const blobs = m.images.map((i) => i.blob);
    expect(blobs).toEqual(blobs.slice().sort());
    expect(m.images[0].shapes.map((s) => s.id)).toEqual(['a', 'b']);
    expect(Object.keys(m.images[0].shapes[0]).sort()).toEqual(['attrs', 'id', 'kind', 'label', 'points']);
  });

  it('changes hash with one relabelled shape', () => {
    const doc = new Y.Doc();
    addShape(doc, { id: 's', kind: 'box', label: 'c-car', points: [0, 0, 1, 1] }, { author: 'u' });
    const before = Y.encodeStateAsUpdate(doc);
    relabelShape(doc, 's', 'c-person', { author: 'u' });
    const after = Y.encodeStateAsUpdate(doc);
    const h1 = sha(manifestBytes(buildManifest('p', cats, [image('a.jpg', before)])));
    const h2 = sha(manifestBytes(buildManifest('p', cats, [image('a.jpg', after)])));
    expect(h1).not.toBe(h2);
  });

  it('parses back what it wrote, and names what is wrong in a bad one', () => {
    const u = revision((d) => void addShape(d, { id: 's', kind: 'polygon', label: 'c-car', points: [0, 0, 4, 0, 4, 4] }, { author: 'u' }));
    const m = buildManifest('p', cats, [image('a.jpg', u)]);
    const text = Buffer.from(manifestBytes(m)).toString();
    const r = parseManifest(text);
    expect(r.ok && r.value).toEqual(m);
    const bad = parseManifest(text.replace('"split":"train"', '"split":"dev"'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^manifest\.images\[0\]\.split: /);
    expect(parseManifest('{').ok).toBe(false);
  });
});
