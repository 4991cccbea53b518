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
    setMe(await api.me());
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) console.warn('could not load the signed-in user:', e);
    setMe(null);
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  await api.login(username, password);
  setMe(await api.me());
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } finally {
    await clearOfflineCaches();
    setMe(null);
  }
}

export function roleIn(projectId: string): Role | null {
  return me()?.memberships.find((m) => m.projectId === projectId)?.role ?? null;
}

/** A stable colour per user id, for presence. */
export function colorFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360}, 70%, 45%)`;
}
