// An inline error message (server messages are rendered as text, never as HTML).
import { Show } from 'solid-js';

export function ErrorNote(props: { message: string | null | undefined; onDismiss?: () => void }) {
  return (
    <Show when={props.message}>
      <div class="error" role="alert" data-testid="error">
        <span>{props.message}</span>
        <Show when={props.onDismiss}>
          <button type="button" class="icon" aria-label="Dismiss" onClick={() => props.onDismiss!()}>
            ×
          </button>
        </Show>
      </div>
    </Show>
  );
}
