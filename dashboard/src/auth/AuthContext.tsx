// The signed-in user and what they may do. Pages ask `can(permission)` to hide edit controls;
// the API refuses anyway.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { logout as apiLogout, onSessionEnd, startSession } from '../api/client';
import { loadSession } from '../api/session';
import type { Permission, Session, SessionUser } from '../api/types';

interface AuthState {
  user: SessionUser | null;
  // True after the user pressed "Log out" (the next sign-in starts at home), false when the
  // session ended by itself (the next sign-in returns to the page the user was on).
  loggedOut: boolean;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  can: (permission: Permission) => boolean;
  // Replaces the cached user after a profile change.
  updateUser: (user: Partial<SessionUser>) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(() => loadSession()?.user ?? null);
  const [loggedOut, setLoggedOut] = useState(false);

  useEffect(() => onSessionEnd(() => setUser(null)), []);

  const signIn = useCallback((session: Session) => {
    startSession(session);
    setLoggedOut(false);
    setUser(session.user);
  }, []);
  const signOut = useCallback(async () => {
    setLoggedOut(true);
    await apiLogout();
    setUser(null);
  }, []);
  const can = useCallback((p: Permission) => !!user?.permissions?.includes(p), [user]);
  const updateUser = useCallback((patch: Partial<SessionUser>) => {
    setUser((u) => {
      if (!u) return u;
      const next = { ...u, ...patch };
      const s = loadSession();
      if (s) startSession({ ...s, user: next });
      return next;
    });
  }, []);

  const value = useMemo(() => ({ user, loggedOut, signIn, signOut, can, updateUser }), [user, loggedOut, signIn, signOut, can, updateUser]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
