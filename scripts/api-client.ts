// A small HTTP client for the Tessera REST API, as every CLI command uses it: the server URL, a
// token (TESSERA_TOKEN, or TESSERA_USER + TESSERA_PASSWORD to sign in), JSON in and out, and
// errors turned into one-line messages.
import type { Page } from '../shared/api/common.ts';
import type { Project } from '../shared/api/projects.ts';

export interface ApiClient {
  server: string;
  token: string;
  json<T>(path: string, init?: RequestInit): Promise<T>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function normalizeServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`--server "${server}" is not a URL (like http://127.0.0.1:8080)`);
  }
  return url.origin;
}

async function errorOf(res: Response, what: string): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = `${what}: HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code: string; message: string } };
    if (body.error) {
      code = body.error.code;
      message = `${what}: ${body.error.message} (${res.status})`;
    }
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(res.status, code, message);
}

export async function connect(server: string, env: NodeJS.ProcessEnv = process.env, token?: string): Promise<ApiClient> {
  const base = normalizeServer(server);
  const raw = async (path: string, init: RequestInit = {}, auth?: string) => {
    try {
      return await fetch(base + path, { ...init, headers: { ...(auth ? { Authorization: `Bearer ${auth}` } : {}), ...(init.headers as Record<string, string>) } });
    } catch (e) {
      throw new Error(`cannot reach ${base}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
  };
  let secret = token ?? env.TESSERA_TOKEN;
  if (!secret) {
    if (!env.TESSERA_USER || !env.TESSERA_PASSWORD) {
      throw new Error('not signed in: set TESSERA_TOKEN (create one at POST /api/me/tokens), or TESSERA_USER and TESSERA_PASSWORD');
    }
    const res = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: env.TESSERA_USER, password: env.TESSERA_PASSWORD }) });
    if (!res.ok) throw await errorOf(res, 'sign-in failed');
    secret = ((await res.json()) as { token: string }).token;
  }
  const client: ApiClient = {
    server: base,
    token: secret,
    fetch: (path, init) => raw(path, init, secret),
    async json<T>(path: string, init: RequestInit = {}) {
      const res = await raw(path, init, secret);
      if (!res.ok) throw await errorOf(res, `${init.method ?? 'GET'} ${path}`);
      return (await res.json()) as T;
    },
  };
  return client;
}

/** Resolves a project given by id or by name. */
export async function resolveProject(api: ApiClient, idOrName: string): Promise<Project> {
  const { items } = await api.json<Page<Project>>('/api/projects?limit=1000');
  const hit = items.find((p) => p.id === idOrName) ?? items.find((p) => p.name === idOrName);
  if (!hit) throw new Error(`no project "${idOrName}" among yours (${items.map((p) => p.name).join(', ') || 'none'})`);
  return hit;
}
