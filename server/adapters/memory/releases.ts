// In-memory releases repository (tests, and the proof that the ReleaseRepo contract is not SQLite's):
// records, the blobs each lists, aliases, append-only QA verdicts, cached artifacts and gates. Values are
// cloned in and out, so a caller never holds the stored objects.
import { AppError } from '../../../shared/errors.ts';
import type { Sha256 } from '../../../shared/ids.ts';
import type { AliasRecord, ExportRecord, GateRecord, QaRecord, ReleaseRecord, ReleaseRepo } from '../../ports/releases.ts';

export function memoryReleases(): ReleaseRepo {
  const releases: ReleaseRecord[] = [];
  const blobs = new Map<string, Set<string>>();
  const aliases: AliasRecord[] = [];
  const qa: QaRecord[] = [];
  const exports: ExportRecord[] = [];
  const gates = new Map<string, GateRecord>();
  const stateKeys = new Map<string, string>();
  const clone = structuredClone;
  const ofProject = (projectId: string) => releases.filter((r) => r.projectId === projectId);
  return {
    async insert(r, listed, stateKey) {
      if (releases.some((x) => x.id === r.id || (x.projectId === r.projectId && x.number === r.number))) {
        throw new AppError('conflict', `release ${r.id.slice(0, 12)} or number ${r.number} exists already`);
      }
      releases.push(clone(r));
      blobs.set(r.id, new Set(listed));
      if (stateKey !== undefined) stateKeys.set(r.id, stateKey);
    },
    stateKey: async (releaseId) => stateKeys.get(releaseId) ?? null,
    byId: async (projectId, id) => clone(releases.find((r) => r.projectId === projectId && r.id === id) ?? null),
    byNumber: async (projectId, number) => clone(releases.find((r) => r.projectId === projectId && r.number === number) ?? null),
    latest: async (projectId) => clone(ofProject(projectId).reduce<ReleaseRecord | null>((a, r) => (!a || r.number > a.number ? r : a), null)),
    list: async (projectId, { limit, before }) =>
      clone(
        ofProject(projectId)
          .filter((r) => before === undefined || r.number < before)
          .sort((a, b) => b.number - a.number)
          .slice(0, limit),
      ),
    async setAlias(a) {
      const i = aliases.findIndex((x) => x.projectId === a.projectId && x.name === a.name);
      if (i >= 0) aliases[i] = clone(a);
      else aliases.push(clone(a));
    },
    alias: async (projectId, name) => clone(aliases.find((a) => a.projectId === projectId && a.name === name) ?? null),
    aliases: async (projectId) => clone(aliases.filter((a) => a.projectId === projectId).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
    addQa: async (q) => void qa.push(clone(q)),
    qaHistory: async (releaseId) => clone(qa.filter((q) => q.releaseId === releaseId).reverse()),
    async latestQa(ids) {
      const out = new Map<string, QaRecord>();
      for (const q of qa) if (ids.includes(q.releaseId)) out.set(q.releaseId, clone(q));
      return out;
    },
    export: async (releaseId, format) => clone(exports.find((e) => e.releaseId === releaseId && e.format === format) ?? null),
    async putExport(e) {
      if (!exports.some((x) => x.releaseId === e.releaseId && x.format === e.format)) exports.push(clone(e));
    },
    gate: async (projectId) => clone(gates.get(projectId) ?? null),
    async setGate(g) {
      const before = gates.get(g.projectId);
      gates.set(g.projectId, clone({ ...g, lastReport: before?.lastReport ?? null, lastReportAt: before?.lastReportAt ?? null }));
    },
    async gateRefused(projectId, report, at) {
      const g = gates.get(projectId);
      if (g) gates.set(projectId, { ...g, lastReport: report, lastReportAt: at });
    },
    async referencedAmong(candidates) {
      const reports = [...gates.values()].flatMap((g) => (g.lastReport ? [g.lastReport] : []));
      const held = new Set<string>([...releases.map((r) => r.id), ...[...blobs.values()].flatMap((s) => [...s]), ...exports.map((e) => e.blob), ...reports]);
      return [...new Set(candidates.filter((c) => held.has(c)))] as Sha256[];
    },
  };
}
