// Label classes per project: name, colour, hotkey and order. Renaming keeps the id; a class
// that annotations use cannot be deleted.
import { and, asc, eq, max } from 'drizzle-orm';
import { conflict, notFound } from '../../shared/errors.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { immediate } from '../adapters/sqlite/open.ts';
import { labelClasses } from '../adapters/sqlite/schema.ts';
import { audit } from './audit.ts';
import { newId, now } from './ids.ts';

export interface ClassInput {
  name: string;
  color: string;
  hotkey?: string | null;
}

/** Counts how many shapes use a class id; provided by the document layer (annotations live in Yjs). */
export type ClassUsage = (projectId: string, classId: string, className: string) => number | Promise<number>;

export const listClasses = (db: Db, projectId: string) =>
  db
    .select({ id: labelClasses.id, name: labelClasses.name, color: labelClasses.color, hotkey: labelClasses.hotkey, position: labelClasses.position })
    .from(labelClasses)
    .where(eq(labelClasses.projectId, projectId))
    .orderBy(asc(labelClasses.position))
    .all();

function assertFree(db: Db, projectId: string, field: 'name' | 'hotkey', value: string | null | undefined, exceptId?: string) {
  if (value == null) return;
  const col = field === 'name' ? labelClasses.name : labelClasses.hotkey;
  const clash = db.select({ id: labelClasses.id }).from(labelClasses).where(and(eq(labelClasses.projectId, projectId), eq(col, value))).get();
  if (clash && clash.id !== exceptId) throw conflict(`another class already has ${field} "${value}"`);
}

export function createClass(db: Db, actorId: string, projectId: string, input: ClassInput) {
  return immediate(db, () => {
    assertFree(db, projectId, 'name', input.name);
    assertFree(db, projectId, 'hotkey', input.hotkey);
    const top = db.select({ m: max(labelClasses.position) }).from(labelClasses).where(eq(labelClasses.projectId, projectId)).get();
    const row = { id: newId(), projectId, name: input.name, color: input.color, hotkey: input.hotkey ?? null, position: (top?.m ?? -1) + 1, createdAt: now() };
    db.insert(labelClasses).values(row).run();
    audit(db, { actorId, projectId, action: 'class.create', subject: row.id, details: input });
    return { id: row.id, name: row.name, color: row.color, hotkey: row.hotkey, position: row.position };
  });
}

export function updateClass(db: Db, actorId: string, projectId: string, classId: string, patch: Partial<ClassInput> & { position?: number }) {
  return immediate(db, () => {
    const row = db.select().from(labelClasses).where(and(eq(labelClasses.id, classId), eq(labelClasses.projectId, projectId))).get();
    if (!row) throw notFound('label class');
    assertFree(db, projectId, 'name', patch.name, classId);
    assertFree(db, projectId, 'hotkey', patch.hotkey, classId);
    const { position, ...fields } = patch;
    if (Object.keys(fields).length > 0) db.update(labelClasses).set(fields).where(eq(labelClasses.id, classId)).run();
    if (position !== undefined) {
      // Moving a class renumbers the others, so positions stay 0..n-1 without gaps or ties.
      const order = listClasses(db, projectId).filter((c) => c.id !== classId);
      order.splice(Math.min(position, order.length), 0, { ...order[0], id: classId });
      order.forEach((c, i) => db.update(labelClasses).set({ position: i }).where(eq(labelClasses.id, c.id)).run());
    }
    audit(db, { actorId, projectId, action: 'class.update', subject: classId, details: { before: { name: row.name, color: row.color, hotkey: row.hotkey, position: row.position }, patch } });
    return listClasses(db, projectId).find((c) => c.id === classId)!;
  });
}

export async function deleteClass(db: Db, actorId: string, projectId: string, classId: string, usage: ClassUsage) {
  const find = () => db.select().from(labelClasses).where(and(eq(labelClasses.id, classId), eq(labelClasses.projectId, projectId))).get();
  const found = find();
  if (!found) throw notFound('label class');
  // Counting reads documents (async); the delete is checked again inside its transaction.
  const used = await usage(projectId, classId, found.name);
  if (used > 0) throw conflict(`class "${found.name}" is used by ${used} shape${used === 1 ? '' : 's'}; relabel or delete them first`, { used });
  immediate(db, () => {
    const row = find();
    if (!row) throw notFound('label class');
    db.delete(labelClasses).where(eq(labelClasses.id, classId)).run();
    audit(db, { actorId, projectId, action: 'class.delete', subject: classId, details: { name: row.name } });
  });
}
