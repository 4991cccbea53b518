// The session cookie: its name (set by the sign-in route, read by REST and the sync socket) and a
// reader for a raw Cookie header (the WebSocket upgrade has no Hono context).
export const SESSION_COOKIE = 'tessera_session';

/** The value of cookie `name` in a Cookie header, or null (also when it is not valid percent-encoding). */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
