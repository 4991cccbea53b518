import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appliedMigrations, currentVersion, metaMap, migratedVersion, migrateDoc, MIGRATIONS, schemaVersion, type Migration } from './migrations.ts';
import { META } from './schema.ts';

const list: Migration[] = [
  { id: 't/1', up: (d) => d.getMap('x').set('a', 1) },
  { id: 't/2', up: (d) => d.getMap('x').set('b', (d.getMap('x').get('a') as number) + 1) },
];

describe('migrations', () => {
  it('applies the built-in migrations once and records the version', () => {
    const doc = new Y.Doc();
    const r = migrateDoc(doc, MIGRATIONS.ann);
    expect(r).toEqual({ ok: true, value: { from: 0, to: currentVersion('ann'), applied: ['ann/1-init'] } });
    const sv = Y.encodeStateVector(doc);
    expect(migrateDoc(doc, MIGRATIONS.ann)).toEqual({ ok: true, value: { from: 1, to: 1, applied: [] } });
    expect(Y.encodeStateVector(doc)).toEqual(sv);
    expect(schemaVersion(doc)).toBe(1);
  });

  it('runs missing migrations in order and merges concurrent runs', () => {
    const a = new Y.Doc();
    migrateDoc(a, list.slice(0, 1));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(migrateDoc(a, list)).toMatchObject({ ok: true, value: { from: 1, to: 2, applied: ['t/2'] } });
    expect(migrateDoc(b, list)).toMatchObject({ ok: true, value: { from: 1, to: 2 } });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(a.getMap('x').toJSON()).toEqual({ a: 1, b: 2 });
    expect(appliedMigrations(a)).toEqual(['t/1', 't/2']);
    expect(schemaVersion(b)).toBe(2);
  });

  it('refuses documents from a newer schema or with a gap, writing nothing', () => {
    const doc = new Y.Doc();
    migrateDoc(doc, [...list, { id: 't/3', up: () => {} }]);
    const sv = Y.encodeStateVector(doc);
    expect(migrateDoc(doc, list)).toEqual({ ok: false, error: { code: 'unknown_migration', id: 't/3' } });
    const gap = new Y.Doc();
    migrateDoc(gap, [list[1]].map((m) => ({ ...m, up: () => {} })));
    expect(migrateDoc(gap, list)).toEqual({ ok: false, error: { code: 'out_of_order', missing: 't/1', present: 't/2' } });
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('reports a throwing migration instead of throwing', () => {
    const doc = new Y.Doc();
    const r = migrateDoc(doc, [{ id: 'bad', up: () => { throw new Error('boom'); } }]);
    expect(r).toEqual({ ok: false, error: { code: 'failed', id: 'bad', message: 'boom' } });
    expect(schemaVersion(doc)).toBe(0);
  });

  it('derives the version from the recorded ids (the known prefix), whatever meta.version says', () => {
    const doc = new Y.Doc();
    metaMap(doc).set(META.version, 2); // set by a writer, no migration ran
    expect(migratedVersion(doc, list)).toBe(0);
    migrateDoc(doc, list.slice(0, 1));
    expect(migratedVersion(doc, list)).toBe(1);
    metaMap(doc).set(META.version, 2);
    expect(migratedVersion(doc, list)).toBe(1);
    expect(migrateDoc(doc, list)).toMatchObject({ ok: true, value: { from: 1, to: 2, applied: ['t/2'] } });
    expect(migratedVersion(doc, list)).toBe(2);
    const gap = new Y.Doc();
    metaMap(gap).set(META.migrationPrefix + 't/2', 2); // only the second recorded: the prefix is empty
    expect(migratedVersion(gap, list)).toBe(0);
  });
});
