// REST calls for unread comment counts (shared/api/comments.ts).
import type { UnreadCounts } from '../../../shared/api/comments.ts';
import { request } from '../api.ts';

const p = (id: string) => `/projects/${encodeURIComponent(id)}`;

export const commentsApi = {
  unread: (projectId: string) => request<UnreadCounts>('GET', `${p(projectId)}/comments/unread`),
  markRead: (projectId: string, imageId: string) => request<null>('POST', `${p(projectId)}/images/${encodeURIComponent(imageId)}/comments/read`),
};
