// The connection indicator: online, offline (changes kept on this device), syncing, or refused.
import type { SyncStatus } from '../sync/connection.ts';

const TEXT: Record<SyncStatus, string> = {
  online: 'Online',
  syncing: 'Syncing…',
  offline: 'Offline — changes saved on this device',
  refused: 'No access to this document',
};

export function StatusBadge(props: { status: SyncStatus }) {
  return (
    <span class={`status status-${props.status}`} data-testid="sync-status" data-status={props.status} role="status" title={TEXT[props.status]}>
      <span class="dot" />
      {TEXT[props.status]}
    </span>
  );
}
