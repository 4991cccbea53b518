// An image's review status as a chip, in the one colour set (styles.css `.status-<status>`)
// used by the grid, the queues and the annotate page.
import type { ImageStatus } from '../../../shared/roles.ts';

export const STATUS_LABEL: Record<ImageStatus, string> = {
  new: 'new',
  assigned: 'assigned',
  in_progress: 'in progress',
  submitted: 'submitted',
  approved: 'approved',
  changes_requested: 'changes requested',
};

export function StatusChip(props: { status: ImageStatus }) {
  return (
    <span class={`badge status-${props.status}`} data-testid="status-chip" data-status={props.status}>
      {STATUS_LABEL[props.status]}
    </span>
  );
}
