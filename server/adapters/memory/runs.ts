// In-memory model-run repository (tests, and the proof that the RunRepo contract is not SQLite's):
// immutable run records, append-only notes, and the blobs held for runs, asked of `holds` (what a
// release keeps: its manifest, listed images and cached exports; the memory releases store beside
// it knows). Values are cloned in and out, so a caller never holds the stored objects.
import { AppError } from '../../../shared/errors.ts';
import type { Sha256 } from '../../../shared/ids.ts';
import type { RunNoteRecord, RunRecord, RunRepo } from '../../ports/runs.ts';

export function memoryRuns(holds: (releaseId: string) => readonly string[]): RunRepo {
  const runs: RunRecord[] = [];
  const notes: RunNoteRecord[] = [];
  const clone = structuredClone;
  const newestFirst = (a: RunRecord, b: RunRecord) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return {
    async insert(r, note) {
      if (runs.some((x) => x.id === r.id)) throw new AppError('conflict', `run ${r.id} exists already`);
      runs.push(clone(r));
      if (note) notes.push(clone(note));
    },
    byId: async (projectId, id) => clone(runs.find((r) => r.projectId === projectId && r.id === id) ?? null),
    list: async (projectId, { limit, after, releaseId }) =>
      clone(
        runs
          .filter((r) => r.projectId === projectId && (releaseId === undefined || r.releaseId === releaseId))
          .filter((r) => !after || r.createdAt < after.createdAt || (r.createdAt === after.createdAt && r.id < after.id))
          .sort(newestFirst)
          .slice(0, limit),
      ),
    addNote: async (n) => void notes.push(clone(n)),
    async notes(runIds) {
      const out = new Map<string, RunNoteRecord[]>();
      for (const n of notes) if (runIds.includes(n.runId)) (out.get(n.runId) ?? out.set(n.runId, []).get(n.runId)!).push(clone(n));
      return out;
    },
    async heldByRuns(candidates) {
      const held = new Set<string>();
      for (const id of new Set(runs.map((r) => r.releaseId))) for (const b of [id, ...holds(id)]) held.add(b);
      return [...new Set(candidates.filter((c) => held.has(c)))] as Sha256[];
    },
  };
}
