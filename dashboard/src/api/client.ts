// The one way the dashboard talks to the management API. Contract (SPEC §9.4): bearer session
// token; on a 401 it refreshes once and retries, otherwise the session ends and the app goes to
// the login page; errors carry the server's `error` code and `message`; 204 has no body.
import { clearSession, loadSession, needsRefresh, saveSession } from './session';
import type { Session } from './types';

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
  // The field a validation message names (see fieldOfMessage).
  get field(): string | null {
    return this.code === 'validation_error' ? fieldOfMessage(this.message) : null;
  }
}

// The field a server message names: "field 'models[0].modelId' must …" (the admin handlers)
// or a leading path ("publicUrl: …", "password must …"); null when it names none.
export function fieldOfMessage(message: string): string | null {
  const quoted = /field '([^']+)'/.exec(message);
  if (quoted) return quoted[1];
  const bare = /^([A-Za-z_][A-Za-z0-9_.[\]-]*)(?::| must| is| are| has)/.exec(message);
  return bare ? bare[1] : null;
}

type Listener = () => void;
const sessionEndListeners = new Set<Listener>();
export function onSessionEnd(fn: Listener): () => void {
  sessionEndListeners.add(fn);
  return () => sessionEndListeners.delete(fn);
}

function endSession(): void {
  clearSession();
  sessionEndListeners.forEach((fn) => fn());
}

let refreshing: Promise<boolean> | null = null;

// Renews the session with the refresh token; concurrent callers share one request because
// refresh tokens rotate (a second use of the same one would revoke the whole session).
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  const current = loadSession();
  if (!current?.refreshToken) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (!res.ok) return false;
      saveSession((await res.json()) as Session);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function parseError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `request failed with status ${res.status}`;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error === 'string') message = body.error;
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, code, message);
}

export interface RequestOptions { method?: string; body?: unknown; query?: Record<string, string | number | undefined | null>; signal?: AbortSignal }

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const session = loadSession();
  // Signed out (or logging out): nothing to send that the server would not refuse.
  const isPublic = path.startsWith('/api/setup/') || path.startsWith('/api/auth/') || path === '/api/system/info' || path === '/health';
  if (!session && !isPublic)
    throw new ApiError(401, 'unauthorized', 'not signed in');
  if (session && needsRefresh(session.token)) await refreshSession();
  const send = () => {
    const token = loadSession()?.token;
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  };
  let res = await send();
  if (res.status === 401 && loadSession()) {
    if (await refreshSession()) res = await send();
    if (res.status === 401) {
      endSession();
      throw await parseError(res);
    }
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  del: (path: string) => request<void>(path, { method: 'DELETE' }),
};

// Logs out on the server (best effort) and forgets the session locally.
export async function logout(): Promise<void> {
  const session = loadSession();
  // Forget the session locally first so no page sends the token while it is being revoked.
  endSession();
  if (session) {
    try {
      await fetch('/api/auth/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
    } catch {
      /* offline: the local session has ended anyway */
    }
  }
}

export function startSession(session: Session): void {
  saveSession(session);
}
