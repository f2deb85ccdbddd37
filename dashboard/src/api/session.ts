// Where the dashboard keeps its session, and when it must be renewed (SPEC §9.4: proactively
// when the JWT's exp is within 5 minutes).
import type { Session } from './types';

const KEY = 'routerly.session';
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    return parsed && typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

// The `exp` claim of a JWT in milliseconds, or null when the token is not a readable JWT.
export function tokenExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const padded = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const claims = JSON.parse(atob(padded)) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

export function needsRefresh(token: string, now = Date.now()): boolean {
  const exp = tokenExpiry(token);
  return exp !== null && exp - now < REFRESH_MARGIN_MS;
}
