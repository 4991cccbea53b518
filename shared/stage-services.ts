// What a stage may do with the project's data (ctx.services), acting as the user who started the
// job. The server implements it over its services (server/jobs/stage-services.ts); stages see
// plain values only, never the database or a Y.Doc.
import type { DocShape } from './doc/schema.ts';
import type { ImportFormat } from './annotation-set.ts';

export interface StageImage {
  id: string;
  sha256: string;
  fileName: string;
  width: number;
  height: number;
  status: string;
  assigneeId: string | null;
}

export interface StageClass {
  id: string;
  name: string;
}

export interface StageMember {
  userId: string;
  username: string;
  role: string;
}

export interface StageFile {
  /** May carry folders (`labels/a.txt`). */
  name: string;
  bytes: Uint8Array;
}

/** Edits of one image's annotations, applied together through the live sync core. */
export interface AnnotationEdit {
  /** Shape id → new points (e.g. clipped to the image). */
  move?: Record<string, number[]>;
  /** Shape ids to delete. */
  remove?: string[];
}

export interface StageServices {
  images(projectId: string): Promise<StageImage[]>;
  classes(projectId: string): Promise<StageClass[]>;
  members(projectId: string): Promise<StageMember[]>;
  /** The image's shapes and image-level tags (class ids). */
  annotations(imageId: string): Promise<{ shapes: DocShape[]; tags: string[] }>;
  /** Applies edits as the job's user, live for connected clients; returns whether anything changed. */
  editAnnotations(imageId: string, edit: AnnotationEdit): Promise<boolean>;
  /** Assigns images to a member (or to nobody), as the job's user. */
  assign(projectId: string, imageIds: string[], assigneeId: string | null): Promise<void>;
  /** Imports annotation files and images (the REST import's rules), as the job's user. */
  importFiles(projectId: string, format: ImportFormat, files: StageFile[]): Promise<unknown>;
}
