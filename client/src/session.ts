// The signed-in user and their memberships: loaded once at start, cleared on sign-out.
import { createSignal } from 'solid-js';
import { api, ApiError, type Me } from './api.ts';
import type { Role } from '../../shared/roles.ts';
import { clearOfflineCaches } from './sw-client.ts';

/** undefined while loading, null when signed out. */
const [me, setMe] = createSignal<Me | null | undefined>(undefined);
export { me };

export async function loadMe(): Promise<void> {
  try {
    const s = await api.session();
    setMe(s.user ? (s as Me) : null);
  } catch (e) {
    if (!(e instanceof ApiError) || (e.code !== 'offline' && e.status !== 401)) console.warn('could not load the signed-in user:', e);
    setMe(null);
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  await api.login(username, password);
  // Through the service worker, so that the next start without a network knows who is signed in.
  const s = await api.session();
  setMe(s.user ? (s as Me) : await api.me());
}

/** Signs out this browser, or (`everywhere`) every session and API token of the user. */
export async function signOut(opts: { everywhere?: boolean } = {}): Promise<void> {
  try {
    await (opts.everywhere ? api.logoutEverywhere() : api.logout());
  } finally {
    await clearOfflineCaches();
    setMe(null);
  }
}

export function roleIn(projectId: string): Role | null {
  return me()?.memberships.find((m) => m.projectId === projectId)?.role ?? null;
}
