// Review threads anchored to the selected shape: read, start a thread, reply, resolve/reopen.
import { createSignal, For, Show } from 'solid-js';
import type { Thread } from '../state/comments.ts';

export function CommentsPanel(props: {
  shapeId: string | null;
  threads: readonly Thread[];
  nameOf(userId: string): string;
  onOpen(text: string): void;
  onReply(threadId: string, text: string): void;
  onResolve(threadId: string, resolved: boolean): void;
}) {
  const mine = () => props.threads.filter((t) => 'shapeId' in t.anchor && t.anchor.shapeId === props.shapeId);
  return (
    <div class="comments" data-testid="comments">
      <Show when={props.shapeId} fallback={<p class="muted small">Select a shape to see or start its review threads.</p>}>
        <For each={mine()}>
          {(t) => (
            <div class={t.resolved ? 'thread resolved' : 'thread'} data-testid="thread">
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
        <Composer placeholder="Comment on this shape…" button="Comment" onSend={props.onOpen} />
      </Show>
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
