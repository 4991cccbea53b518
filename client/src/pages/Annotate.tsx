// The annotate page for one image: loads the image and classes, opens the `ann:` and `cmt:`
// documents (synced, kept on this device) and hands state objects to the workspace.
import { createEffect, createResource, onCleanup, Show } from 'solid-js';
import { api, ApiError, blobUrl, messageOf, type ImageInfo, type LabelClass } from '../api.ts';
import { personColor } from '../colors.ts';
import { can, docAccess } from '../../../shared/policy.ts';
import { ReviewBar } from '../components/ReviewBar.tsx';
import { useReview } from '../state/review.ts';
import { docName, type ImageId } from '../../../shared/ids.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProjectHeader } from '../components/Header.tsx';
import { Workspace } from '../components/Workspace.tsx';
import { annotatePath, navigate } from '../router.tsx';
import { neighbours } from '../browse.ts';
import { me, roleIn } from '../session.ts';
import { useAnnotations } from '../state/annotations.ts';
import { useComments } from '../state/comments.ts';
import { markCommentsSeen } from '../state/comments-seen.ts';
import { usePresence } from '../state/presence.ts';
import { combinedStatus, openDoc } from '../sync/connection.ts';
import { warmOfflineCache } from '../sw-client.ts';

export function AnnotatePage(props: { projectId: string; imageId: string }) {
  const [data] = createResource(
    () => ({ pid: props.projectId, iid: props.imageId }),
    async ({ pid, iid }) => {
      const [project, image, classes] = await Promise.all([api.project(pid), api.image(pid, iid), api.classes(pid)]);
      return { project, image, classes: classes.items };
    },
  );
  const [members] = createResource(
    () => props.projectId,
    (id) => api.people(id).then((r) => r.items).catch(() => []),
  );

  // Reading an errored resource throws: read it only when it holds a value.
  const ready = () => (data.state === 'ready' ? data() : undefined);
  const problem = () => {
    if (data.state !== 'errored') return null;
    const e = data.error;
    if (e instanceof ApiError && e.code === 'offline') {
      return 'This image is not available offline: open it once while online, or use “Take my batch offline” on the project page.';
    }
    return messageOf(e);
  };
  return (
    <div class="annotate-page">
      <ProjectHeader projectId={props.projectId} projectName={ready()?.project.name ?? '…'}>
        <span data-testid="image-name">{ready()?.image.fileName ?? '…'}</span>
      </ProjectHeader>
      <ErrorNote message={problem()} />
      <Show when={ready() && me()}>
        <Session
          image={ready()!.image}
          classes={ready()!.classes}
          projectId={props.projectId}
          people={members() ?? []}
        />
      </Show>
    </div>
  );
}

/** Owns the two document connections for as long as the image is open. */
function Session(props: { image: ImageInfo; classes: LabelClass[]; projectId: string; people: { userId: string; displayName: string }[] }) {
  const user = me()!.user;
  const imageId = props.image.id as ImageId;
  const userNames = () => new Map(props.people.map((m) => [m.userId, m.displayName] as const));
  const colorOf = (id: string) => personColor(id, props.people.map((p) => p.userId));
  const presenceUser = { id: user.id, name: user.displayName || user.username, color: colorOf(user.id) };
  // The photo first: the documents start loading once it is decoded (or could not be), so that
  // applying a large document does not hold back the photo's first paint.
  const photo = decoded(blobUrl(props.image.sha256));
  const ann = openDoc(docName('ann', imageId), presenceUser, { after: photo });
  const cmt = openDoc(docName('cmt', imageId), presenceUser, { after: photo });
  onCleanup(() => {
    ann.destroy();
    cmt.destroy();
  });
  const annotations = useAnnotations(ann, user.id);
  const comments = useComments(cmt, user.id);
  markCommentsSeen(props.projectId, imageId, cmt);
  const presence = usePresence(ann.awareness, (id) => userNames().get(id), (id) => (props.people.length ? colorOf(id) : undefined));
  // Announce this user's colour once the project's people are known (others compute it the same way).
  createEffect(() => {
    if (props.people.length) ann.awareness.setLocalStateField('user', { ...presenceUser, color: colorOf(user.id) });
  });

  const pid = encodeURIComponent(props.projectId);
  void warmOfflineCache([
    '/api/auth/session',
    `/api/projects/${pid}/people`,
    `/api/projects/${pid}`,
    `/api/projects/${pid}/classes`,
    `/api/projects/${pid}/images/${encodeURIComponent(props.image.id)}`,
    blobUrl(props.image.sha256),
  ]).catch((e) => console.warn('offline cache not warmed:', e));

  const access = () => docAccess(roleIn(props.projectId), user.id, { assigneeId: props.image.assignee }, 'ann');
  const readOnly = () => access() !== 'write' || ann.refusal() !== null;
  const nameOf = (id: string) => {
    if (id === user.id) return presenceUser.name;
    return userNames().get(id) ?? presence.peers().find((p) => p.user.id === id)?.user.name ?? `user ${id.slice(0, 6)}`;
  };

  const near = neighbours(props.projectId, props.image.id);
  const step = (id: string | null) => (id ? () => navigate(annotatePath(props.projectId, id)) : undefined);

  const review = useReview(props.projectId, props.image, ann, user.id);
  const role = () => roleIn(props.projectId);
  const canSubmit = () => can(role(), 'review.submit') && (role() !== 'annotator' || props.image.assignee === user.id);
  const canDecide = () => can(role(), 'review.decide');
  let reviewBar: { openReason(): void } | undefined;
  const onReviewKey = (id: 'review.submit' | 'review.approve' | 'review.requestChanges') => {
    if (id === 'review.submit' && canSubmit()) void review.submit();
    else if (id === 'review.approve' && canDecide() && review.status() === 'submitted') void review.approve();
    else if (id === 'review.requestChanges' && canDecide() && review.status() === 'submitted') reviewBar?.openReason();
  };

  return (
    <Workspace
      image={props.image}
      src={blobUrl(props.image.sha256)}
      classes={props.classes}
      readOnly={readOnly()}
      loaded={ann.local()}
      status={combinedStatus([ann.status(), cmt.status()])}
      pending={ann.pending() + cmt.pending()}
      refusal={ann.refusal()?.reason ?? cmt.refusal()?.reason ?? null}
      annotations={annotations}
      comments={comments}
      presence={presence}
      nameOf={nameOf}
      me={{ ...presenceUser, color: colorOf(user.id) }}
      onPrev={step(near.prev)}
      onNext={step(near.next)}
      onReviewKey={onReviewKey}
      review={(ctx) => (
        <ReviewBar
          review={review}
          canSubmit={canSubmit()}
          canDecide={canDecide()}
          nameOf={nameOf}
          selectedShape={ctx.selected}
          onShowShape={ctx.select}
          onNext={step(near.next)}
          api={(a) => (reviewBar = a)}
        />
      )}
    />
  );
}

/** Resolves once the image at `src` is decoded, failed, or `ms` passed, whichever is first (never rejects). */
function decoded(src: string, ms = 1500): Promise<void> {
  const img = new Image();
  img.src = src;
  return Promise.race([img.decode().catch(() => undefined), new Promise<void>((r) => setTimeout(r, ms))]).then(() => undefined);
}
