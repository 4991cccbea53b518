// Unread comment counts (issue 11): `GET /api/projects/:id/comments/unread` answers, for the signed-in
// member, how many messages by others each image they may see has that they were not shown yet;
// `POST /api/projects/:id/images/:imageId/comments/read` marks an image's messages as read.

export interface UnreadCounts {
  /** Image id → unread messages; images with none are left out. */
  unread: Record<string, number>;
}
