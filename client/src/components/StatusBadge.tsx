// The connection indicator: online, offline (changes kept on this device), syncing, or refused.
import type { SyncStatus } from '../sync/connection.ts';

const TEXT: Record<SyncStatus, string> = {
  online: 'Online',
  syncing: 'Syncing…',
  offline: 'Offline — changes saved on this device',
  refused: 'No access to this document',
};

/** `reason`: the server's words when it refused the connection (e.g. access removed, signed out). */
export function StatusBadge(props: { status: SyncStatus; reason?: string | null }) {
  const text = () => (props.status === 'refused' && props.reason ? `No access: ${props.reason}` : TEXT[props.status]);
  return (
    <span class={`status status-${props.status}`} data-testid="sync-status" data-status={props.status} role="status" title={text()}>
      <span class="dot" />
      {text()}
    </span>
  );
}
