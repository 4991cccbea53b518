// The restore step for untrusted document content: turns whatever a peer put into a shape or
// thread entry into a valid value, or into a reported problem. Repairs what it can (a box with
// negative size, missing attrs), skips what it cannot, and never throws.
import * as Y from 'yjs';
import { isShapeKind, normalizeBox, pointsProblem, SHAPE, THREAD, type Anchor, type DocShape, type DocThread, type Message } from './schema.ts';

export const PROBLEMS = {
  notAMap: 'not_a_map',
  unknownKind: 'unknown_kind',
  badPoints: 'bad_points',
  missingLabel: 'missing_label',
  badAnchor: 'bad_anchor',
} as const;
export type ProblemCode = (typeof PROBLEMS)[keyof typeof PROBLEMS];

/** One entry a reader skipped, with the reason. */
export interface RestoreProblem {
  /** `shapes/<id>` or `threads/<id>`. */
  path: string;
  code: ProblemCode;
  message: string;
}

export type Restored<T> = { ok: true; value: T } | { ok: false; problem: RestoreProblem };

/** Reads a field from a Y.Map or, from a misbehaving peer, a plain object. */
function field(entry: unknown, key: string): unknown {
  if (entry instanceof Y.Map) return entry.get(key);
  if (entry && typeof entry === 'object' && !Array.isArray(entry) && !(entry instanceof Y.AbstractType)) {
    return (entry as Record<string, unknown>)[key];
  }
  return undefined;
}
const isRecord = (entry: unknown) =>
  entry instanceof Y.Map || (!!entry && typeof entry === 'object' && !Array.isArray(entry) && !(entry instanceof Y.AbstractType) && !(entry instanceof Uint8Array));

function plainAttrs(v: unknown): Record<string, unknown> {
  if (v instanceof Y.Map) return v.toJSON() as Record<string, unknown>;
  if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Y.AbstractType)) return { ...(v as object) };
  return {};
}

export function restoreShape(id: string, entry: unknown): Restored<DocShape> {
  const path = `shapes/${id}`;
  const fail = (code: ProblemCode, message: string): Restored<DocShape> => ({ ok: false, problem: { path, code, message } });
  if (!isRecord(entry)) return fail(PROBLEMS.notAMap, 'the entry is not a map');
  const kind = field(entry, SHAPE.kind);
  if (!isShapeKind(kind)) return fail(PROBLEMS.unknownKind, `unknown shape kind ${JSON.stringify(String(kind)).slice(0, 40)}`);
  const label = field(entry, SHAPE.label);
  if (typeof label !== 'string' || label === '') return fail(PROBLEMS.missingLabel, 'the shape has no label');
  let points = field(entry, SHAPE.points);
  if (points instanceof Y.Array) points = points.toArray();
  const why = pointsProblem(kind, points);
  if (why) return fail(PROBLEMS.badPoints, why);
  const pts = kind === 'box' ? normalizeBox(points as number[]) : (points as number[]).slice();
  const author = field(entry, SHAPE.author);
  const updatedAt = field(entry, SHAPE.updatedAt);
  const createdAt = field(entry, SHAPE.createdAt);
  const updated = typeof updatedAt === 'number' && Number.isFinite(updatedAt) ? updatedAt : 0;
  return {
    ok: true,
    value: {
      id,
      kind,
      label,
      points: pts,
      attrs: plainAttrs(field(entry, SHAPE.attrs)),
      author: typeof author === 'string' ? author : null,
      updatedAt: updated,
      createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : updated,
    },
  };
}

function restoreAnchor(v: unknown): Anchor | null {
  if (!v || typeof v !== 'object') return null;
  const a = v as Record<string, unknown>;
  if (typeof a.shapeId === 'string' && a.shapeId !== '') return { shapeId: a.shapeId };
  if (typeof a.x === 'number' && typeof a.y === 'number' && Number.isFinite(a.x) && Number.isFinite(a.y)) return { x: a.x, y: a.y };
  return null;
}

/** A message is kept when it has text; missing fields get neutral defaults. */
function restoreMessage(v: unknown, index: number): Message | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const m = v as Record<string, unknown>;
  if (typeof m.text !== 'string') return null;
  return {
    id: typeof m.id === 'string' ? m.id : `#${index}`,
    author: typeof m.author === 'string' ? m.author : '',
    text: m.text,
    at: typeof m.at === 'number' && Number.isFinite(m.at) ? m.at : 0,
  };
}

export function restoreThread(id: string, entry: unknown): Restored<DocThread> {
  const path = `threads/${id}`;
  if (!isRecord(entry)) return { ok: false, problem: { path, code: PROBLEMS.notAMap, message: 'the entry is not a map' } };
  const anchor = restoreAnchor(field(entry, THREAD.anchor));
  if (!anchor) return { ok: false, problem: { path, code: PROBLEMS.badAnchor, message: 'the thread has no valid anchor' } };
  const raw = field(entry, THREAD.messages);
  const list = raw instanceof Y.Array ? raw.toArray() : Array.isArray(raw) ? raw : [];
  const messages: Message[] = [];
  list.forEach((m, i) => {
    const r = restoreMessage(m, i);
    if (r) messages.push(r);
  });
  return { ok: true, value: { id, anchor, resolved: field(entry, THREAD.resolved) === true, messages } };
}
