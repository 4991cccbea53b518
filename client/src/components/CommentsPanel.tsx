// Review threads: those of the selected shape, or with nothing selected the image's own threads,
// which include threads whose shape was deleted (they stay reachable, marked as such).
import { createSignal, For, Show } from 'solid-js';
import type { Thread } from '../state/comments.ts';

export function CommentsPanel(props: {
  shapeId: string | null;
  /** The shape's name for the heading, e.g. "box #3". */
  shapeName: string | null;
  threads: readonly Thread[];
  shapeExists(id: string): boolean;
  nameOf(userId: string): string;
  readOnly?: boolean;
  onOpen(text: string): void;
  onReply(threadId: string, text: string): void;
  onResolve(threadId: string, resolved: boolean): void;
}) {
  const shown = () =>
    props.shapeId
      ? props.threads.filter((t) => 'shapeId' in t.anchor && t.anchor.shapeId === props.shapeId)
      : props.threads.filter((t) => !('shapeId' in t.anchor) || !props.shapeExists(t.anchor.shapeId));
  const orphan = (t: Thread) => 'shapeId' in t.anchor && !props.shapeExists(t.anchor.shapeId);
  return (
    <div class="comments" data-testid="comments">
      <p class="muted small">{props.shapeId ? `Threads on ${props.shapeName ?? 'this shape'}` : 'Threads on the whole image (select a shape for its own)'}</p>
      <For each={shown()}>
        {(t) => (
          <div class={t.resolved ? 'thread resolved' : 'thread'} data-testid="thread" data-thread={t.id} data-orphan={orphan(t) ? 'true' : 'false'}>
            <Show when={orphan(t)}>
              <p class="muted small" data-testid="orphan-note">Its shape was deleted.</p>
            </Show>
            <For each={t.messages}>
              {(m) => (
                <div class="message">
                  <div class="message-head">
                    <strong>{props.nameOf(m.author)}</strong>
                    <span class="muted small">{m.at ? new Date(m.at).toLocaleString() : ''}</span>
                  </div>
                  <div class="message-text">{m.text}</div>
                </div>
              )}
            </For>
            <div class="thread-actions">
              <Composer placeholder="Reply…" button="Reply" onSend={(text) => props.onReply(t.id, text)} />
              <button type="button" class="link small" onClick={() => props.onResolve(t.id, !t.resolved)}>
                {t.resolved ? 'Reopen' : 'Resolve'}
              </button>
            </div>
          </div>
        )}
      </For>
      <Composer placeholder={props.shapeId ? 'Comment on this shape…' : 'Comment on this image…'} button="Comment" onSend={props.onOpen} />
    </div>
  );
}

function Composer(props: { placeholder: string; button: string; onSend(text: string): void }) {
  const [text, setText] = createSignal('');
  const send = (e: Event) => {
    e.preventDefault();
    const t = text().trim();
    if (!t) return;
    props.onSend(t);
    setText('');
  };
  return (
    <form class="composer" onSubmit={send}>
      <textarea
        rows={2}
        placeholder={props.placeholder}
        value={text()}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
        }}
      />
      <button type="submit" class="small" disabled={!text().trim()}>
        {props.button}
      </button>
    </form>
  );
}
