// Route-backed tabs (each tab is a URL, so reload and back/forward keep the tab).
import { NavLink } from 'react-router-dom';

export function Tabs({ items }: { items: { to: string; label: string }[] }) {
  return (
    <nav className="tabs" aria-label="Sections">
      {items.map((t) => (
        <NavLink key={t.to} to={t.to} className={({ isActive }) => `tab${isActive ? ' active' : ''}`}>{t.label}</NavLink>
      ))}
    </nav>
  );
}
