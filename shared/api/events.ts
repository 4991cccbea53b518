// The project event stream (`GET /api/projects/:id/events`, server-sent events): one JSON object
// per event, discriminated on `type`, sent as an SSE event named by the type. Job progress and
// state today; review status and releases add their own members to ProjectEvent, to PROJECT_EVENT
// and to EVENT_READERS (the compiler asks for the last one).
import type { JobProgress, JobState } from '../jobs.ts';
import type { Action } from '../policy.ts';
import type { ImageStatus } from '../roles.ts';

export const PROJECT_EVENT = {
  job: 'job',
  run: 'run',
  presence: 'presence',
  release: 'release',
  image: 'image',
  comments: 'comments',
  modelRun: 'modelRun',
} as const;

/** A job changed state or reported progress. */
export interface JobEvent {
  type: typeof PROJECT_EVENT.job;
  job: { id: string; stage: string; runId: string | null; stepId: string | null; state: JobState; attempts: number; progress: JobProgress; updatedAt: number };
}

/** A pipeline run's status or one of its steps changed. */
export interface RunEvent {
  type: typeof PROJECT_EVENT.run;
  run: { id: string; status: string; steps: { stepId: string; status: string; jobId: string | null }[] };
}

/** A user arrived on an image (their first sync connection to its annotations) or left it (their last). */
export interface PresenceEvent {
  type: typeof PROJECT_EVENT.presence;
  imageId: string;
  userId: string;
  present: boolean;
}

/** A release was cut, got a QA verdict, or an alias moved (issue 13). */
export interface ReleaseEvent {
  type: typeof PROJECT_EVENT.release;
  release: { id: string; number: number; change: 'cut' | 'qa' | 'alias'; qa?: string | null; alias?: string };
}


/** An image's review status changed (review service: submit, approve, request changes, edits). */
export interface ImageStatusEvent {
  type: typeof PROJECT_EVENT.image;
  image: { id: string; status: ImageStatus; from: ImageStatus; assignee: string | null; actor: string; at: number; reason?: string; shapeId?: string };
}

/** Messages arrived on (or left) an image's comment threads: members refetch their unread counts. */
export interface CommentsEvent {
  type: typeof PROJECT_EVENT.comments;
  imageId: string;
  /** Who the image is assigned to (annotators hear only of their own images). */
  assignee: string | null;
}

/** A model run was recorded against a release, or got a note (issue 14): the lineage graph refetches. */
export interface ModelRunEvent {
  type: typeof PROJECT_EVENT.modelRun;
  run: { id: string; releaseId: string; change: 'recorded' | 'note' };
}

export type ProjectEvent = JobEvent | RunEvent | PresenceEvent | ReleaseEvent | ImageStatusEvent | CommentsEvent | ModelRunEvent;

/** The action a member's role must allow to receive each event type on the stream. */
export const EVENT_READERS = {
  job: 'pipelines.read',
  run: 'pipelines.read',
  presence: 'images.readAll',
  release: 'releases.read',
  // Every member: annotators follow the status of their own images (the event names only ids and states).
  image: 'project.read',
  // Every member, for the images they see (the event names only the image).
  comments: 'project.read',
  modelRun: 'runs.read',
} as const satisfies Record<ProjectEvent['type'], Action>;
