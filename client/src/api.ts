// The REST client: one fetch wrapper that turns `{"error":{"code","message"}}` into ApiError,
// and typed calls for every route the web app uses. Cookie auth (same origin).
import type { Role, ImageStatus } from '../../shared/roles.ts';
import type { LoginResponse, LogoutEverywhere, Me, User } from '../../shared/api/auth.ts';
import type { Ok, Page } from '../../shared/api/common.ts';
import type { ImageInfo, UploadResult } from '../../shared/api/images.ts';
import type { LabelClass, Member, Person, Project } from '../../shared/api/projects.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import type { ProgressSummary } from '../../shared/api/progress.ts';
import type { AuditFilterInput, AuditRow } from '../../shared/api/audit.ts';
import type { QueueItem, ReviewHistoryItem, ReviewStats } from '../../shared/api/review.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network' | 'offline';
  /** The server's `error.details` (e.g. `problems` of a rejected pipeline). */
  readonly details?: unknown;
  constructor(status: number, code: ErrorCode | 'network' | 'offline', message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// Request and response shapes are the server's own (shared/api/), not copies.
export type { Me, Membership, User } from '../../shared/api/auth.ts';
export type { Page } from '../../shared/api/common.ts';
export type { ImageInfo, UploadResult } from '../../shared/api/images.ts';
export type { LabelClass, Member, Person, Project } from '../../shared/api/projects.ts';
export type { AuditRow } from '../../shared/api/audit.ts';
export type { QueueItem, ReviewHistoryItem, ReviewStats } from '../../shared/api/review.ts';

/**
 * Without a network, GETs are answered from the service worker's cache directly, so that a miss
 * is a plain "not available offline" instead of a failed request in the console. The same when a
 * GET finds no server although the browser says it is online (a captive portal, a dead Wi-Fi, or
 * Chromium 150's offline emulation, which can leave `navigator.onLine` true on a fresh page).
 */
async function offlineRead(path: string): Promise<Response> {
  const hit = 'caches' in window ? await caches.match(`/api${path}`) : undefined;
  if (!hit) throw new ApiError(0, 'offline', 'not available offline');
  return hit;
}

/** One JSON call under /api (also for the area files in client/src/api/). */
/** A body sent as it is, with its own content type (e.g. a pipeline's YAML text), instead of as JSON. */
export class RawBody {
  constructor(readonly text: string, readonly contentType: string) {}
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    if (method === 'GET' && !navigator.onLine) res = await offlineRead(path);
    else res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': body instanceof RawBody ? body.contentType : 'application/json' },
      body: body === undefined ? undefined : body instanceof RawBody ? body.text : JSON.stringify(body),
    });
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (method !== 'GET') throw new ApiError(0, 'network', 'cannot reach the server');
    res = await offlineRead(path);
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? `${res.status} ${res.statusText}`, e?.details);
  }
  return data as T;
}

/** Uploads image files (multipart, field "files"); the server answers with each image and whether it was new. */
async function upload(path: string, files: readonly File[]): Promise<UploadResult> {
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method: 'POST', credentials: 'same-origin', body: form });
  } catch {
    throw new ApiError(0, 'network', 'cannot reach the server');
  }
  const data = (await res.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'internal', data?.error?.message ?? `${res.status} ${res.statusText}`);
  return data as unknown as UploadResult;
}

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
};
const p = (id: string) => `/projects/${encodeURIComponent(id)}`;
/** `?a=1&b=2` from the given parameters, leaving out empty ones (for the client/src/api/*.ts calls). */
export { q as queryString };

export const blobUrl = (sha256: string) => `/api/blobs/${sha256}`;
/** The CSV export of the audit entries matching `filter` (a download link). */
export const auditExportUrl = (id: string, filter: AuditFilterInput) => `/api${p(id)}/audit/export${q({ ...filter })}`;

export const api = {
  login: (username: string, password: string) => request<LoginResponse>('POST', '/auth/login', { username, password }),
  logout: () => request<Ok>('POST', '/auth/logout'),
  /** Revokes every session and API token of the signed-in user. */
  logoutEverywhere: () => request<LogoutEverywhere>('POST', '/auth/logout-everywhere'),
  me: () => request<Me>('GET', '/me'),
  /** The signed-in user, or `{user: null}` (200) when signed out. */
  session: () => request<Me | { user: null; memberships: [] }>('GET', '/auth/session'),
  projects: () => request<Page<Project>>('GET', '/projects?limit=1000'),
  project: (id: string) => request<Project>('GET', p(id)),
  uploadImages: (id: string, files: readonly File[]) => upload(`${p(id)}/images`, files),
  assignImages: (id: string, imageIds: string[], assignee: string | null) =>
    request<{ items: ImageInfo[] }>('POST', `${p(id)}/images/assign`, { imageIds, assignee }),
  members: (id: string) => request<Page<Member>>('GET', `${p(id)}/members`),
  /** Images by review status, overall and per assignee, counted by the server over what the caller may see. */
  progress: (id: string) => request<ProgressSummary>('GET', `${p(id)}/progress`),
  /** Who is on which image now (roles that see every image). */
  presence: (id: string) => request<{ items: { imageId: string; userId: string }[] }>('GET', `${p(id)}/presence`),
  /** Names of the project's people; readable by every member. */
  people: (id: string) => request<Page<Person>>('GET', `${p(id)}/people`),
  addMember: (id: string, username: string, role: Role) => request<Member>('POST', `${p(id)}/members`, { username, role }),
  setMemberRole: (id: string, userId: string, role: Role) => request<Member>('PATCH', `${p(id)}/members/${encodeURIComponent(userId)}`, { role }),
  removeMember: (id: string, userId: string) => request<Ok>('DELETE', `${p(id)}/members/${encodeURIComponent(userId)}`),
  classes: (id: string) => request<Page<LabelClass>>('GET', `${p(id)}/classes`),
  addClass: (id: string, c: { name: string; color: string; hotkey?: string | null }) => request<LabelClass>('POST', `${p(id)}/classes`, c),
  updateClass: (id: string, classId: string, patch: Partial<Pick<LabelClass, 'name' | 'color' | 'hotkey'>>) =>
    request<LabelClass>('PATCH', `${p(id)}/classes/${encodeURIComponent(classId)}`, patch),
  deleteClass: (id: string, classId: string) => request<Ok>('DELETE', `${p(id)}/classes/${encodeURIComponent(classId)}`),
  images: (id: string, f: { status?: ImageStatus | ''; assignee?: string; limit?: number; cursor?: string | null }) =>
    request<Page<ImageInfo>>('GET', `${p(id)}/images${q({ status: f.status, assignee: f.assignee, limit: f.limit, cursor: f.cursor })}`),
  image: (id: string, imageId: string) => request<ImageInfo>('GET', `${p(id)}/images/${encodeURIComponent(imageId)}`),
  // Review (issue 11)
  submitImage: (id: string, imageId: string) => request<ImageInfo>('POST', `${p(id)}/images/${encodeURIComponent(imageId)}/submit`, {}),
  approveImage: (id: string, imageId: string, seen: string) => request<ImageInfo & { revision: string }>('POST', `${p(id)}/images/${encodeURIComponent(imageId)}/approve`, { seen }),
  requestChanges: (id: string, imageId: string, body: { reason: string; shapeId?: string }) =>
    request<ImageInfo>('POST', `${p(id)}/images/${encodeURIComponent(imageId)}/request-changes`, body),
  reviewHistory: (id: string, imageId: string) => request<{ items: ReviewHistoryItem[] }>('GET', `${p(id)}/images/${encodeURIComponent(imageId)}/history`),
  reviewQueue: (id: string) => request<{ items: QueueItem[] }>('GET', `${p(id)}/review/queue`),
  myWork: (id: string) => request<{ items: QueueItem[] }>('GET', `${p(id)}/review/my-work`),
  reviewStats: (id: string) => request<ReviewStats>('GET', `${p(id)}/review/stats`),
  audit: (id: string, cursor?: string | null, filter: AuditFilterInput = {}) => request<Page<AuditRow>>('GET', `${p(id)}/audit${q({ limit: 50, cursor, ...filter })}`),
  auditActions: (id: string) => request<{ items: string[] }>('GET', `${p(id)}/audit/actions`),
};

/** The message to show for any thrown value. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
