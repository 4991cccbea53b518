// Port for dataset releases (DESIGN.md "Releases"): the immutable release records, their aliases,
// QA verdicts and cached exports; and the approved revisions a cut reads (the review repository
// implements that part). The manifest bytes are a blob whose SHA-256 is the release id.
// Contract: releases.contract.ts.
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ExportFormat, ReleaseCounts, ReleaseDiff, SplitConfig } from '../../shared/release/index.ts';

/** What a cut left out, reported with the release. */
export interface CutReport {
  /** Images in the release. */
  included: number;
  /** Included images edited since their approved revision (the release has the approved state). */
  unreviewedEdits: number;
  /** Images with no approved revision (left out). */
  noRevision: number;
}

export interface ReleaseRecord {
  /** SHA-256 of the manifest bytes. */
  id: Sha256;
  projectId: ProjectId;
  number: number;
  parentId: Sha256 | null;
  createdAt: number;
  createdBy: UserId;
  notes: string;
  split: SplitConfig;
  counts: ReleaseCounts;
  diff: ReleaseDiff;
  generatedNotes: string[];
  report: CutReport;
}

export const QA_STATUSES = { validated: 'validated', failed: 'failed' } as const;
export type QaStatus = (typeof QA_STATUSES)[keyof typeof QA_STATUSES];

export interface QaRecord {
  releaseId: Sha256;
  status: QaStatus;
  notes: string;
  actorId: UserId;
  at: number;
}

export interface AliasRecord {
  projectId: ProjectId;
  name: string;
  releaseId: Sha256;
  updatedAt: number;
  updatedBy: UserId;
}

/** What is derived from a release and cached as a blob: an export zip per format, or the EDA report. */
export type ReleaseArtifact = ExportFormat | 'report';

export interface ExportRecord {
  releaseId: Sha256;
  format: ReleaseArtifact;
  blob: Sha256;
  bytes: number;
  createdAt: number;
}

/** A project's release gate: the validate parameters (null: off) and the last refused cut's report. */
export interface GateRecord {
  projectId: ProjectId;
  validate: { iou: number } | null;
  updatedAt: number;
  updatedBy: UserId;
  lastReport: Sha256 | null;
  lastReportAt: number | null;
}

export interface ReleaseRepo {
  /**
   * Inserts a release, the image blobs its manifest lists and the key of the approved state it was cut
   * from; a taken (project, number) or id is a `conflict` AppError.
   */
  insert(r: ReleaseRecord, blobs: readonly string[], stateKey?: string): Promise<void>;
  /** The state key stored with a release (null: none was stored, e.g. a release older than the column). */
  stateKey(releaseId: Sha256): Promise<string | null>;
  byId(projectId: ProjectId, id: string): Promise<ReleaseRecord | null>;
  byNumber(projectId: ProjectId, number: number): Promise<ReleaseRecord | null>;
  /** The highest-numbered release (what `latest` points at). */
  latest(projectId: ProjectId): Promise<ReleaseRecord | null>;
  /** Newest first, numbers below `before` when given. */
  list(projectId: ProjectId, page: { limit: number; before?: number }): Promise<ReleaseRecord[]>;
  /** Sets (or moves) an alias. */
  setAlias(a: AliasRecord): Promise<void>;
  alias(projectId: ProjectId, name: string): Promise<AliasRecord | null>;
  aliases(projectId: ProjectId): Promise<AliasRecord[]>;
  addQa(q: QaRecord): Promise<void>;
  /** Newest first. */
  qaHistory(releaseId: Sha256): Promise<QaRecord[]>;
  /** The newest verdict of each release among `ids`. */
  latestQa(releaseIds: readonly Sha256[]): Promise<Map<string, QaRecord>>;
  export(releaseId: Sha256, format: ReleaseArtifact): Promise<ExportRecord | null>;
  /** Records a cached export; an existing one for (release, format) is left as it is. */
  putExport(e: ExportRecord): Promise<void>;
  gate(projectId: ProjectId): Promise<GateRecord | null>;
  /** Sets the gate's parameters (keeping its last report). */
  setGate(g: Pick<GateRecord, 'projectId' | 'validate' | 'updatedAt' | 'updatedBy'>): Promise<void>;
  /** Records the report of a cut the gate refused (on a gate that exists). */
  gateRefused(projectId: ProjectId, report: Sha256, at: number): Promise<void>;
  /** Of `candidates`, the blobs some release holds on to: manifests, listed images, cached artifacts, gate reports (garbage collection keeps them). */
  referencedAmong(candidates: readonly string[]): Promise<Sha256[]>;
}

/** One image's latest approved revision, as the review repository stores it. */
export interface ApprovedRevision {
  imageId: string;
  sha256: string;
  /** `Y.encodeStateAsUpdate` of the approved `ann:` document. */
  update: Uint8Array;
}

/** Who stands behind one approved revision: its approver, and (when kept) who created each shape. */
export interface RevisionPeopleRecord {
  approvedBy: UserId;
  provenance?: Record<string, { createdBy: string | null }>;
}

/** Where a cut reads approved revisions from (the review repository's `latestApproved` and `revision`). */
export interface RevisionSource {
  latestApproved(projectId: ProjectId): Promise<ApprovedRevision[]>;
  /** One stored revision of an image, for the people behind it (EDA reports); null when there is none. */
  revision(imageId: ImageId, sha256: Sha256): Promise<RevisionPeopleRecord | null>;
}
