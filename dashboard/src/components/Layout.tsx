// The signed-in frame: navigation (only what the user may see), theme switch, account menu.
import { Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import type { Permission } from '../api/types';
import { Loading } from './States';
import { useTheme } from './theme';

interface NavItem { to: string; label: string; needs?: Permission }
const NAV: NavItem[] = [
  { to: '/overview', label: 'Overview', needs: 'report:read' },
  { to: '/models', label: 'Models', needs: 'model:read' },
  { to: '/projects', label: 'Projects' },
  { to: '/usage', label: 'Usage', needs: 'report:read' },
  { to: '/test', label: 'Playground' },
  { to: '/settings/general', label: 'Settings', needs: 'user:write' },
  { to: '/settings/users', label: 'Users', needs: 'user:read' },
  { to: '/settings/roles', label: 'Roles', needs: 'user:read' },
];

export function Layout() {
  const { user, can, signOut } = useAuth();
  const { theme, toggle } = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className={`app${menuOpen ? ' nav-open' : ''}`}>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <button type="button" className="btn btn-ghost nav-toggle" aria-label="Menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)}>☰</button>
        <NavLink to="/overview" className="brand">Routerly</NavLink>
        <div className="topbar-right">
          <button type="button" className="btn btn-ghost" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <NavLink to="/profile" className="btn btn-ghost" data-testid="current-user">{user?.email}</NavLink>
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>Log out</button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Main">
        {NAV.filter((n) => !n.needs || can(n.needs)).map((n) => (
          <NavLink key={n.to} to={n.to} className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}>{n.label}</NavLink>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
