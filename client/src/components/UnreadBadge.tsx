// The unread-comments marker of an image (grid tiles, queues): a speech bubble with the count.
import { Show } from 'solid-js';
import { plural } from '../../../shared/plural.ts';

export function UnreadBadge(props: { count: number }) {
  return (
    <Show when={props.count > 0}>
      <span class="unread-badge" title={plural(props.count, 'unread comment')} data-testid="unread-badge" data-count={props.count}>
        {props.count}
      </span>
    </Show>
  );
}
