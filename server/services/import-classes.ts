// The label classes an import needs: only those its shapes and tags use (unused categories are
// ignored), named by the same rules as the REST API (control characters stripped, 1–200
// characters). Missing ones are created, in category order, only for a role that may manage
// classes; for anyone else the import is refused, naming the classes the project lacks. At most
// MAX_NEW_CLASSES per import, created in one batch (the top position read once).
import { AppError, forbidden } from '../../shared/errors.ts';
import type { Dataset, ImageAnnotations } from '../../shared/formats/index.ts';
import { DisplayName } from '../../shared/names.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { Repositories } from '../ports/repositories.ts';
import { createClassesIn, listClassesIn } from './classes.ts';
import type { ServiceDeps } from './deps.ts';

export const MAX_NEW_CLASSES = 1000;
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#9a6324', '#800000', '#aaffc3', '#808000', '#000075'];
const LISTED = 20;

const shown = (name: string) => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);

export interface ClassPlan {
  /** Each used label (as written in the files) → the class name it maps to. */
  names: Map<string, string>;
  /** Class names to create, in order. */
  toCreate: string[];
}

/** Checks the classes an import needs before anything is written; throws the refusals. */
export async function planClasses(r: Pick<Repositories, 'classes'>, projectId: ProjectId, dataset: Dataset, annotated: ImageAnnotations[], mayCreate: boolean): Promise<ClassPlan> {
  const used = new Set<string>();
  for (const im of annotated) {
    for (const s of im.shapes) used.add(s.label);
    for (const t of im.tags) used.add(t);
  }
  // Category order first, then labels in the order shapes use them.
  const order = new Set([...dataset.categories.map((c) => c.name).filter((n) => used.has(n)), ...used]);
  const existing = new Set((await listClassesIn(r, projectId)).map((c) => c.name));
  const names = new Map<string, string>();
  const toCreate = new Set<string>();
  for (const raw of order) {
    if (existing.has(raw)) {
      names.set(raw, raw);
      continue;
    }
    const parsed = DisplayName.safeParse(raw);
    if (!parsed.success) throw new AppError('validation', `class ${shown(raw)}: ${parsed.error.issues[0].message}`, { class: raw.slice(0, 200) });
    names.set(raw, parsed.data);
    if (!existing.has(parsed.data)) toCreate.add(parsed.data);
  }
  const missing = [...toCreate];
  if (missing.length && !mayCreate) {
    throw forbidden(
      `this project has no class${missing.length === 1 ? '' : 'es'} ${missing.slice(0, LISTED).map(shown).join(', ')}${missing.length > LISTED ? ` and ${missing.length - LISTED} more` : ''}; a manager can add ${missing.length === 1 ? 'it' : 'them'} (or run the import)`,
    );
  }
  if (missing.length > MAX_NEW_CLASSES) {
    throw new AppError('payload_too_large', `the import would create ${missing.length} label classes; the limit is ${MAX_NEW_CLASSES} per import`);
  }
  return { names, toCreate: missing };
}

/** Creates the planned classes (one batch) and returns each used label's class id. */
export function applyClassPlan(s: ServiceDeps, actorId: UserId, projectId: ProjectId, plan: ClassPlan): Promise<{ ids: Map<string, string>; created: string[] }> {
  return s.data.transaction(async (r) => {
    const existing = await listClassesIn(r, projectId);
    const byName = new Map<string, string>(existing.map((c) => [c.name, c.id]));
    const fresh = plan.toCreate.filter((n) => !byName.has(n)); // another import may have made some meanwhile
    const made = await createClassesIn(r, actorId, projectId, fresh.map((name, i) => ({ name, color: PALETTE[(existing.length + i) % PALETTE.length] })));
    for (const c of made) byName.set(c.name, c.id);
    const ids = new Map([...plan.names].map(([raw, name]) => [raw, byName.get(name)!]));
    return { ids, created: made.map((c) => c.name) };
  });
}
