// The in-memory update store: the same contract as SQLite's, nothing on disk (tests, tools). It
// keeps its own copies of the bytes and each row's user, which tests read through `rows`.
import { snapshotOfLog, type DocSnapshot } from '../../../shared/doc/log.ts';
import { compactedProvenance, hasProvenance, type Provenance } from '../../../shared/doc/provenance.ts';
import type { UpdateStore } from '../../ports/update-store.ts';

export interface MemoryRow {
  update: Uint8Array;
  userId: string | null;
  snapshot?: DocSnapshot;
  provenance?: Provenance | null;
}

export type MemoryUpdateStore = UpdateStore & { rows: Map<string, MemoryRow[]> };

const sum = (us: readonly Uint8Array[]) => us.reduce((n, u) => n + u.byteLength, 0);

export function memoryUpdateStore(): MemoryUpdateStore {
  const rows = new Map<string, MemoryRow[]>();
  const log = (d: string) => rows.get(d) ?? [];
  const push = (d: string, update: Uint8Array, userId: string | null) => {
    const list = rows.get(d) ?? [];
    list.push({ update: update.slice(), userId });
    rows.set(d, list);
  };
  return {
    rows,
    load: async (d) => log(d).map((r) => r.update),
    loadRows: async (d) => log(d).map((r) => ({ update: r.update, userId: r.userId, provenance: r.provenance ? structuredClone(r.provenance) : null })),
    snapshot: async (d) => {
      const l = log(d);
      return l.length === 1 ? (l[0].snapshot ?? null) : null;
    },
    append: async (d, update, userId) => push(d, update, userId),
    appendMany: async (updates) => {
      for (const u of updates) push(u.docName, u.update, u.userId);
    },
    compact: async (d, current) => {
      const before = log(d);
      const updates = before.map((r) => r.update);
      const bytesBefore = sum(updates);
      if (updates.length <= 1) return { rowsBefore: updates.length, rowsAfter: updates.length, bytesBefore, bytesAfter: bytesBefore };
      const held = current && current.rows === updates.length ? current : undefined;
      const snap = held ?? snapshotOfLog(d, updates);
      const provenance = hasProvenance(d) ? compactedProvenance(before, held?.provenance) : null;
      rows.set(d, [{ update: snap.state, userId: null, snapshot: snap, provenance }]);
      return { rowsBefore: updates.length, rowsAfter: 1, bytesBefore, bytesAfter: snap.state.byteLength };
    },
    count: async (d) => log(d).length,
  };
}
