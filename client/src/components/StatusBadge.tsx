// The connection indicator: online, offline (changes kept on this device), syncing, or refused,
// with how many local edits have not reached the server yet.
import type { SyncStatus } from '../sync/connection.ts';
import { plural } from '../../../shared/plural.ts';

const TEXT: Record<SyncStatus, string> = {
  online: 'Online',
  syncing: 'Syncing…',
  offline: 'Offline — changes saved on this device',
  refused: 'No access to this document',
};

const edits = (n: number) => plural(n, 'edit');

/** `reason`: the server's words when it refused the connection (e.g. access removed, signed out). */
export function StatusBadge(props: { status: SyncStatus; reason?: string | null; pending?: number }) {
  const n = () => props.pending ?? 0;
  const text = () => {
    if (props.status === 'refused') return props.reason ? `No access: ${props.reason}` : TEXT.refused;
    if (props.status === 'offline') return n() ? `Offline — ${edits(n())} to sync` : TEXT.offline;
    if (props.status === 'syncing' && n()) return `Syncing ${edits(n())}…`;
    return TEXT[props.status];
  };
  const title = () => (n() ? `${text()}: saved on this device, not yet on the server` : text());
  return (
    <span class={`status status-${props.status}`} data-testid="sync-status" data-status={props.status} data-pending={n()} role="status" title={title()}>
      <span class="dot" />
      {text()}
    </span>
  );
}
