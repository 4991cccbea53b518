// The review bar above the annotate workspace: the image's status, the reviewer's reason when
// changes were requested (prominent), a "changed since you opened it" banner, and the moves this
// user may make: Submit (Ctrl+Enter), Approve (Ctrl+Shift+Enter), Request changes
// (Ctrl+Shift+Backspace, a reason required; on the selected shape when there is one).
import { createSignal, Show } from 'solid-js';
import { bindingText, KEYMAP } from '../../../shared/keymap.ts';
import type { ReviewState } from '../state/review.ts';
import { StatusChip } from './StatusChip.tsx';

export interface ReviewBarProps {
  review: ReviewState;
  canSubmit: boolean;
  canDecide: boolean;
  nameOf(userId: string): string;
  /** The selected shape's name ("box #3"), to attach the reason to it. */
  selectedShape: () => { id: string; name: string } | null;
  /** Opens the next image of the queue, when there is one. */
  onNext?: () => void;
  /** Selects a shape (the one a request for changes is about). */
  onShowShape?: (shapeId: string) => void;
  /** Set by the bar: opens the reason box (hotkey). */
  api?: (a: { openReason(): void }) => void;
}

const key = (id: keyof typeof KEYMAP) => bindingText(KEYMAP[id].bindings[0]);

export function ReviewBar(props: ReviewBarProps) {
  const r = props.review;
  const [asking, setAsking] = createSignal(false);
  const [reason, setReason] = createSignal('');
  let box: HTMLTextAreaElement | undefined;
  props.api?.({ openReason: () => (setAsking(true), queueMicrotask(() => box?.focus())) });
  const submittable = () => ['assigned', 'in_progress', 'changes_requested'].includes(r.status());
  const send = async (e: Event) => {
    e.preventDefault();
    const text = reason().trim();
    if (!text) return;
    if (await r.requestChanges(text, props.selectedShape()?.id ?? null)) {
      setAsking(false);
      setReason('');
    }
  };
  return (
    <div class="review-bar" data-testid="review-bar" data-status={r.status()}>
      <Show when={r.request() && (r.status() === 'changes_requested' || r.status() === 'in_progress')}>
        <div class="review-reason" role="alert" data-testid="review-reason">
          <strong>Changes requested by {props.nameOf(r.request()!.by)}:</strong> <span data-testid="review-reason-text">{r.request()!.reason}</span>
          <Show when={r.request()!.shapeId && props.onShowShape}>
            {' '}
            <button type="button" class="link small" onClick={() => props.onShowShape!(r.request()!.shapeId!)}>Show the shape</button>
          </Show>
        </div>
      </Show>
      <Show when={props.canDecide && r.changedSinceOpened()}>
        <div class="review-changed" role="status" data-testid="review-changed">
          Changed since you opened it: look again before you decide.{' '}
          <button type="button" class="link small" onClick={() => r.acknowledge()}>I have looked</button>
        </div>
      </Show>
      <div class="review-actions">
        <span class="muted small">Review</span>
        <StatusChip status={r.status()} />
        <Show when={props.canSubmit && submittable()}>
          <button type="button" class="primary" disabled={r.busy()} onClick={() => void r.submit()} data-testid="review-submit" title={`Submit for review (${key('review.submit')})`}>
            Submit for review <kbd>{key('review.submit')}</kbd>
          </button>
        </Show>
        <Show when={props.canDecide && r.status() === 'submitted'}>
          <button type="button" class="primary" disabled={r.busy()} onClick={() => void r.approve()} data-testid="review-approve" title={`Approve (${key('review.approve')})`}>
            Approve <kbd>{key('review.approve')}</kbd>
          </button>
          <button type="button" disabled={r.busy()} onClick={() => (setAsking(true), queueMicrotask(() => box?.focus()))} data-testid="review-request" title={`Request changes (${key('review.requestChanges')})`}>
            Request changes <kbd>{key('review.requestChanges')}</kbd>
          </button>
        </Show>
        <Show when={props.onNext}>
          <button type="button" onClick={() => props.onNext!()} data-testid="review-next">Next in queue ›</button>
        </Show>
        <Show when={r.error()}>
          <span class="error small" role="alert" data-testid="review-error">{r.error()}</span>
        </Show>
      </div>
      <Show when={asking()}>
        <form class="review-request" onSubmit={send} data-testid="review-request-form">
          <textarea
            ref={box}
            rows={2}
            placeholder={props.selectedShape() ? `What should change on ${props.selectedShape()!.name}? (required)` : 'What should change? (required; select a shape to attach it there)'}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setAsking(false);
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(e);
            }}
            data-testid="review-reason-input"
          />
          <button type="submit" disabled={!reason().trim() || r.busy()} data-testid="review-request-send">
            Send back{props.selectedShape() ? ` (on ${props.selectedShape()!.name})` : ''}
          </button>
          <button type="button" class="link" onClick={() => setAsking(false)}>Cancel</button>
        </form>
      </Show>
    </div>
  );
}
