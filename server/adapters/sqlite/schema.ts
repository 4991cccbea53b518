// The SQLite schema (drizzle). Migrations in drizzle/ are generated from this file with `npm run db:generate`.
import { sqliteTable, text, integer, real, blob, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** May create projects and accounts. The creator of a project becomes its manager. */
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
});

/** Browser sessions and API tokens; only the SHA-256 of the secret is stored. */
export const tokens = sqliteTable(
  'tokens',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull().unique(),
    userId: text('user_id').notNull().references(() => users.id),
    kind: text('kind', { enum: ['session', 'api'] }).notNull(),
    name: text('name').notNull().default(''),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('tokens_user').on(t.userId)],
);

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull().references(() => users.id),
  /** Four eyes: a reviewer may not approve an image whose last submission was their own (managers may). */
  fourEyes: integer('four_eyes', { mode: 'boolean' }).notNull().default(true),
});

export const memberships = sqliteTable(
  'memberships',
  {
    projectId: text('project_id').notNull().references(() => projects.id),
    userId: text('user_id').notNull().references(() => users.id),
    role: text('role', { enum: ['annotator', 'reviewer', 'engineer', 'qa', 'manager'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('memberships_user').on(t.userId)],
);

export const labelClasses = sqliteTable(
  'label_classes',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    name: text('name').notNull(),
    color: text('color').notNull(),
    hotkey: text('hotkey'),
    position: integer('position').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('label_classes_project_name').on(t.projectId, t.name)],
);

/** Content-addressed blobs; the bytes live under data/blobs/<aa>/<sha256>. */
export const blobs = sqliteTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  mime: text('mime').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const images = sqliteTable(
  'images',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    sha256: text('sha256').notNull().references(() => blobs.sha256),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    /** Width and height as displayed, after EXIF orientation. */
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    orientation: integer('orientation').notNull().default(1),
    thumbSha256: text('thumb_sha256'),
    status: text('status', {
      enum: ['new', 'assigned', 'in_progress', 'submitted', 'approved', 'changes_requested'],
    })
      .notNull()
      .default('new'),
    assigneeId: text('assignee_id').references(() => users.id),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull().references(() => users.id),
  },
  (t) => [
    uniqueIndex('images_project_sha').on(t.projectId, t.sha256),
    index('images_project_status').on(t.projectId, t.status),
    index('images_project_name').on(t.projectId, t.fileName, t.id),
    // Blob access checks look images up by content (the image or its thumbnail).
    index('images_sha').on(t.sha256),
    index('images_thumb_sha').on(t.thumbSha256),
    index('images_project_assignee').on(t.projectId, t.assigneeId),
  ],
);

/** Append-only log of every mutating action. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: text('actor_id'),
    projectId: text('project_id'),
    action: text('action').notNull(),
    subject: text('subject').notNull().default(''),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_project').on(t.projectId, t.id)],
);

/** Yjs update log per document (`ann:<imageId>`, `cmt:<imageId>`), with provenance. */
export const docUpdates = sqliteTable(
  'doc_updates',
  {
    // A plain rowid, not AUTOINCREMENT: a new row's id is still above every row in the table (all a
    // document's order needs), and a commit no longer rewrites sqlite_sequence's page as well (one
    // WAL page of three; ~10 µs a one-row commit here). Ids of deleted rows may be reused; nothing
    // keeps one past its row.
    id: integer('id').primaryKey(),
    docName: text('doc_name').notNull(),
    update: blob('update', { mode: 'buffer' }).notNull(),
    userId: text('user_id'),
    createdAt: integer('created_at').notNull(),
    /** True for a row that replaced earlier rows in compaction. */
    compacted: integer('compacted', { mode: 'boolean' }).notNull().default(false),
    /** On compacted rows: the state vector and document schema version of the state, so that a
     *  cold load can serve the row as it is, without decoding it. */
    stateVector: blob('state_vector', { mode: 'buffer' }),
    schemaVersion: integer('schema_version'),
    /** On compacted `ann:` rows: JSON shape id → {createdBy, changedBy} folded from the rows replaced
     *  (shared/doc/provenance.ts), so the senders of updates outlive compaction. */
    provenance: text('provenance'),
  },
  (t) => [index('doc_updates_doc').on(t.docName, t.id)],
);

/**
 * The update journal's mark (server/adapters/sqlite/update-journal.ts): the sequence number of the
 * last journaled group moved into `doc_updates`, written in the same transaction as its rows, so
 * that the replay after a crash inserts exactly the groups that had not reached the table. One row.
 */
export const updateJournal = sqliteTable('update_journal', {
  id: integer('id').primaryKey(),
  flushedSeq: integer('flushed_seq').notNull(),
});

/** A pipeline run: the validated pipeline and who started it. Its steps' states live in `pipeline_steps`. */
export const pipelineRuns = sqliteTable(
  'pipeline_runs',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    name: text('name').notNull(),
    /** The pipeline as validated (JSON). */
    spec: text('spec', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed', 'cancelled'] }).notNull(),
    createdBy: text('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('pipeline_runs_project').on(t.projectId, t.createdAt)],
);

/** One step of a run: `pending` until its parents succeed, then the job that runs it. */
export const pipelineSteps = sqliteTable(
  'pipeline_steps',
  {
    runId: text('run_id').notNull().references(() => pipelineRuns.id),
    stepId: text('step_id').notNull(),
    position: integer('position').notNull(),
    uses: text('uses').notNull(),
    needs: text('needs', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] }).notNull(),
    jobId: text('job_id'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);

/** The job queue (DESIGN.md "Jobs and stages"); written only by server/adapters/sqlite/job-queue.ts. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    stage: text('stage').notNull(),
    projectId: text('project_id'),
    runId: text('run_id'),
    stepId: text('step_id'),
    params: text('params', { mode: 'json' }),
    input: text('input', { mode: 'json' }),
    state: text('state', { enum: ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'] }).notNull(),
    priority: integer('priority').notNull().default(0),
    runAfter: integer('run_after').notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    backoffMs: integer('backoff_ms').notNull(),
    backoffMaxMs: integer('backoff_max_ms').notNull(),
    leaseToken: text('lease_token'),
    leaseExpiresAt: integer('lease_expires_at'),
    workerId: text('worker_id'),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    progress: real('progress').notNull().default(0),
    progressMessage: text('progress_message').notNull().default(''),
    result: text('result', { mode: 'json' }),
    /** Every failed attempt, oldest first (JSON array of JobError). */
    errors: text('errors', { mode: 'json' }).notNull().default('[]'),
    idempotencyKey: text('idempotency_key'),
    stageVersion: text('stage_version'),
    stageSourceSha: text('stage_source_sha'),
    cacheKey: text('cache_key'),
    cachedFrom: text('cached_from'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('jobs_ready').on(sql`${t.priority} desc`, t.runAfter).where(sql`${t.state} = 'queued'`),
    index('jobs_lease').on(t.leaseExpiresAt).where(sql`${t.state} = 'running'`),
    // Partial where most jobs have no value (no idempotency key, no pipeline run, cache off): a job
    // without one costs no index entry (lookups by `= ?` imply NOT NULL, so they still use them).
    uniqueIndex('jobs_idempotency').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('jobs_cache').on(t.cacheKey).where(sql`${t.state} = 'succeeded' and ${t.cacheKey} is not null`),
    index('jobs_project').on(t.projectId, t.createdAt),
    index('jobs_run').on(t.runId).where(sql`${t.runId} is not null`),
  ],
);

/** Lines a job's work wrote (its logger, and the stdout/stderr of programs it ran). */
export const jobLogs = sqliteTable(
  'job_logs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id').notNull(),
    at: integer('at').notNull(),
    stream: text('stream', { enum: ['log', 'stdout', 'stderr'] }).notNull(),
    line: text('line').notNull(),
  },
  (t) => [index('job_logs_job').on(t.jobId, t.id)],
);

/** Which user's connection first wrote under each Yjs client id of a document (sync client-id binding). */
export const docClients = sqliteTable(
  'doc_clients',
  {
    docName: text('doc_name').notNull(),
    clientId: integer('client_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docName, t.clientId] })],
);

// ── Releases (issue 13; DESIGN.md "Releases") ──

/**
 * Immutable dataset releases: `<project>@<number>`. `id` is the SHA-256 of the canonical manifest,
 * whose bytes are the blob of the same SHA-256. Counts, diff and notes are derived at the cut and
 * never change; QA verdicts and aliases live in their own tables.
 */
export const releases = sqliteTable(
  'releases',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    number: integer('number').notNull(),
    parentId: text('parent_id'),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull().references(() => users.id),
    notes: text('notes').notNull().default(''),
    /** The split configuration used (JSON). */
    split: text('split', { mode: 'json' }).notNull(),
    /** Images, shapes and tags per split and class (JSON). */
    counts: text('counts', { mode: 'json' }).notNull(),
    /** The diff against the parent (JSON). */
    diff: text('diff', { mode: 'json' }).notNull(),
    generatedNotes: text('generated_notes', { mode: 'json' }).notNull(),
    /** What the cut left out: unreviewed edits, images without an approved revision (JSON). */
    report: text('report', { mode: 'json' }).notNull(),
    /** The key of the approved state it was cut from (services/release-state.ts); NULL for releases cut before it was kept. */
    stateKey: text('state_key'),
  },
  (t) => [uniqueIndex('releases_project_number').on(t.projectId, t.number)],
);

/** The image blobs each release lists (from its manifest), so blob garbage collection keeps them. */
export const releaseBlobs = sqliteTable(
  'release_blobs',
  {
    releaseId: text('release_id').notNull().references(() => releases.id),
    blob: text('blob').notNull(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.blob] }), index('release_blobs_blob').on(t.blob)],
);

/** Named pointers at releases (`prod`, `candidate`); `latest` is not stored, it is the highest number. */
export const releaseAliases = sqliteTable(
  'release_aliases',
  {
    projectId: text('project_id').notNull().references(() => projects.id),
    name: text('name').notNull(),
    releaseId: text('release_id').notNull().references(() => releases.id),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.name] })],
);

/** QA verdicts on a release, append-only: the newest is its QA state. */
export const releaseQa = sqliteTable(
  'release_qa',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    releaseId: text('release_id').notNull().references(() => releases.id),
    status: text('status', { enum: ['validated', 'failed'] }).notNull(),
    notes: text('notes').notNull(),
    actorId: text('actor_id').notNull().references(() => users.id),
    at: integer('at').notNull(),
  },
  (t) => [index('release_qa_release').on(t.releaseId, t.id)],
);

/** Export zips derived from a release's manifest (and its EDA report), cached as blobs per (release, format). */
export const releaseExports = sqliteTable(
  'release_exports',
  {
    releaseId: text('release_id').notNull().references(() => releases.id),
    // An export format, or `report` (the EDA report's JSON); text in SQLite, no migration.
    format: text('format', { enum: ['coco', 'yolo', 'voc', 'report'] }).notNull(),
    blob: text('blob').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.format] })],
);

/**
 * The release gate of a project (issue 13 item 4): when set, a cut runs the validate checks over
 * the manifest it would store and is refused when they report problems; the last refusal's report
 * is kept as a blob.
 */
export const releaseGates = sqliteTable('release_gates', {
  projectId: text('project_id').primaryKey().references(() => projects.id),
  /** JSON `{iou}`: the validate parameters; null when the gate is off. */
  validate: text('validate', { mode: 'json' }),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull().references(() => users.id),
  /** The report of the last refused cut (a blob of canonical JSON) and when. */
  lastReport: text('last_report'),
  lastReportAt: integer('last_report_at'),
});

/** Review history: every status move of an image (submit, approve, request changes, edits), append-only. */
export const reviewEvents = sqliteTable(
  'review_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    imageId: text('image_id').notNull().references(() => images.id),
    projectId: text('project_id').notNull().references(() => projects.id),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    actorId: text('actor_id').notNull(),
    at: integer('at').notNull(),
    reason: text('reason'),
    shapeId: text('shape_id'),
  },
  (t) => [index('review_events_image').on(t.imageId, t.id), index('review_events_project').on(t.projectId, t.id)],
);

/**
 * Approved revisions: the `ann:` document state at approval (`Y.encodeStateAsUpdate`) and its state
 * vector, content-addressed by the SHA-256 of the update bytes. Immutable: rows are only inserted,
 * and compaction (which swaps rows of doc_updates) never reads or writes this table.
 */
export const approvedRevisions = sqliteTable(
  'approved_revisions',
  {
    /** Insertion order: the latest revision of an image is its highest seq. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    imageId: text('image_id').notNull().references(() => images.id),
    projectId: text('project_id').notNull().references(() => projects.id),
    sha256: text('sha256').notNull(),
    update: blob('update', { mode: 'buffer' }).notNull(),
    stateVector: blob('state_vector', { mode: 'buffer' }).notNull(),
    approvedBy: text('approved_by').notNull().references(() => users.id),
    approvedAt: integer('approved_at').notNull(),
    /** JSON shape id → {createdBy, changedBy} of this state (shared/doc/provenance.ts); null before it was kept. */
    provenance: text('provenance', { mode: 'json' }).$type<Record<string, { createdBy: string | null; changedBy: string | null }>>(),
  },
  (t) => [uniqueIndex('approved_revisions_image_sha').on(t.imageId, t.sha256), index('approved_revisions_project').on(t.projectId, t.imageId, t.seq)],
);

/**
 * Model runs (issue 14): a model measured against one release, stored with the release id (its
 * manifest digest). Immutable (triggers refuse update and delete); notes are appended beside it.
 */
export const modelRuns = sqliteTable(
  'model_runs',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    releaseId: text('release_id').notNull().references(() => releases.id),
    model: text('model').notNull(),
    version: text('version').notNull(),
    /** Metric name → number or class name → number (JSON). */
    metrics: text('metrics', { mode: 'json' }).notNull(),
    /** Training parameters (JSON object). */
    params: text('params', { mode: 'json' }).notNull(),
    code: text('code'),
    split: text('split'),
    createdBy: text('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('model_runs_project').on(t.projectId, t.createdAt, t.id), index('model_runs_release').on(t.releaseId)],
);

/** Notes added to a run after it was recorded (append-only). */
export const modelRunNotes = sqliteTable(
  'model_run_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id').notNull().references(() => modelRuns.id),
    text: text('text').notNull(),
    by: text('by').notNull().references(() => users.id),
    at: integer('at').notNull(),
  },
  (t) => [index('model_run_notes_run').on(t.runId, t.id)],
);

/**
 * The comment index (issue 11, unread counts): one row per message of an image's `cmt:` document as
 * readers see it, numbered in the order the server first saw it. Rebuilt from the document after each
 * durable change (server/services/comment-index.ts); the document stays the truth.
 */
export const commentMessages = sqliteTable(
  'comment_messages',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    imageId: text('image_id').notNull().references(() => images.id),
    projectId: text('project_id').notNull().references(() => projects.id),
    messageId: text('message_id').notNull(),
    threadId: text('thread_id').notNull(),
    authorId: text('author_id').notNull(),
  },
  (t) => [uniqueIndex('comment_messages_image_message').on(t.imageId, t.messageId), index('comment_messages_project').on(t.projectId, t.imageId, t.seq)],
);

/** How far each user has read each image's comments: the highest comment_messages.seq they were shown. */
export const commentReads = sqliteTable(
  'comment_reads',
  {
    userId: text('user_id').notNull().references(() => users.id),
    imageId: text('image_id').notNull().references(() => images.id),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.imageId] })],
);
