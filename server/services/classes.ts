// Label classes per project: name, colour, hotkey and order. Renaming keeps the id; a class
// that annotations use cannot be deleted.
import { conflict, notFound } from '../../shared/errors.ts';
import type { ClassId, ProjectId, UserId } from '../../shared/ids.ts';
import type { ClassRecord } from '../ports/projects.ts';
import type { Repositories } from '../ports/repositories.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { newId, now } from './ids.ts';
import { plural } from '../../shared/plural.ts';

export interface ClassInput {
  name: string;
  color: string;
  hotkey?: string | null;
}

/** Counts how many shapes use a class id; provided by the document layer (annotations live in Yjs). */
export type ClassUsage = (projectId: ProjectId, classId: ClassId, className: string) => number | Promise<number>;

const view = ({ id, name, color, hotkey, position }: ClassRecord) => ({ id, name, color, hotkey, position });

export const listClassesIn = async (r: Pick<Repositories, 'classes'>, projectId: ProjectId) => (await r.classes.list(projectId)).map(view);
export const listClasses = (s: ServiceDeps, projectId: ProjectId) => listClassesIn(s.data, projectId);

async function assertFree(r: Repositories, projectId: ProjectId, field: 'name' | 'hotkey', value: string | null | undefined, exceptId?: ClassId) {
  if (value == null) return;
  const clash = await r.classes.findBy(projectId, field, value);
  if (clash && clash.id !== exceptId) throw conflict(`another class already has ${field} "${value}"`);
}

/** Creates a class at the end of the project's order; inside a transaction, pass its repositories. */
export async function createClassIn(r: Repositories, actorId: UserId, projectId: ProjectId, input: ClassInput) {
  await assertFree(r, projectId, 'name', input.name);
  await assertFree(r, projectId, 'hotkey', input.hotkey);
  const position = Math.max(-1, ...(await r.classes.list(projectId)).map((c) => c.position)) + 1;
  const row: ClassRecord = { id: newId() as ClassId, projectId, name: input.name, color: input.color, hotkey: input.hotkey ?? null, position, createdAt: now() };
  await r.classes.insert(row);
  await audit(r, { actorId, projectId, action: 'class.create', subject: row.id, details: input });
  return view(row);
}

/**
 * Creates several classes at the end of the order (imports): the project's classes are read once,
 * not per insert, so n classes cost n inserts. Inside a transaction, pass its repositories.
 */
export async function createClassesIn(r: Repositories, actorId: UserId, projectId: ProjectId, inputs: ClassInput[]) {
  const existing = await r.classes.list(projectId);
  const names = new Set(existing.map((c) => c.name));
  const hotkeys = new Set(existing.map((c) => c.hotkey).filter((k) => k != null));
  let position = Math.max(-1, ...existing.map((c) => c.position)) + 1;
  const made = [];
  for (const input of inputs) {
    if (names.has(input.name)) throw conflict(`another class already has name "${input.name}"`);
    if (input.hotkey != null && hotkeys.has(input.hotkey)) throw conflict(`another class already has hotkey "${input.hotkey}"`);
    const row: ClassRecord = { id: newId() as ClassId, projectId, name: input.name, color: input.color, hotkey: input.hotkey ?? null, position: position++, createdAt: now() };
    await r.classes.insert(row);
    await audit(r, { actorId, projectId, action: 'class.create', subject: row.id, details: input });
    names.add(row.name);
    if (row.hotkey != null) hotkeys.add(row.hotkey);
    made.push(view(row));
  }
  return made;
}

export const createClass = (s: ServiceDeps, actorId: UserId, projectId: ProjectId, input: ClassInput) =>
  s.data.transaction((r) => createClassIn(r, actorId, projectId, input));

export function updateClass(s: ServiceDeps, actorId: UserId, projectId: ProjectId, classId: ClassId, patch: Partial<ClassInput> & { position?: number }) {
  return s.data.transaction(async (r) => {
    const row = await r.classes.get(projectId, classId);
    if (!row) throw notFound('label class');
    await assertFree(r, projectId, 'name', patch.name, classId);
    await assertFree(r, projectId, 'hotkey', patch.hotkey, classId);
    const { position, ...fields } = patch;
    await r.classes.update(classId, fields);
    if (position !== undefined) {
      // Moving a class renumbers the others, so positions stay 0..n-1 without gaps or ties.
      const order = (await r.classes.list(projectId)).filter((c) => c.id !== classId).map((c) => c.id);
      order.splice(Math.min(position, order.length), 0, classId);
      for (const [i, id] of order.entries()) await r.classes.update(id, { position: i });
    }
    await audit(r, { actorId, projectId, action: 'class.update', subject: classId, details: { before: { name: row.name, color: row.color, hotkey: row.hotkey, position: row.position }, patch } });
    return view((await r.classes.get(projectId, classId))!);
  });
}

export async function deleteClass(s: ServiceDeps, actorId: UserId, projectId: ProjectId, classId: ClassId) {
  const row = await s.data.classes.get(projectId, classId);
  if (!row) throw notFound('label class');
  // Counting reads documents (no database I/O): done before the transaction, which re-checks the row.
  const used = await s.classUsage(projectId, classId, row.name);
  if (used > 0) throw conflict(`class "${row.name}" is used by ${plural(used, 'shape')}; relabel or delete them first`, { used });
  await s.data.transaction(async (r) => {
    if (!(await r.classes.remove(classId))) throw notFound('label class');
    await audit(r, { actorId, projectId, action: 'class.delete', subject: classId, details: { name: row.name } });
  });
}
