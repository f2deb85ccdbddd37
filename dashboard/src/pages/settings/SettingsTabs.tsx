// The settings sections as route-backed tabs; each shown only to users allowed to use it
// (settings need user:write, the user and role lists user:read).
import { useAuth } from '../../auth/AuthContext';
import { Tabs } from '../../components/Tabs';

export function SettingsTabs() {
  const { can } = useAuth();
  const items = [
    ...(can('user:write') ? [{ to: '/settings/general', label: 'General' }, { to: '/settings/notifications', label: 'Notifications' }] : []),
    ...(can('user:read') ? [{ to: '/settings/users', label: 'Users' }, { to: '/settings/roles', label: 'Roles' }] : []),
    { to: '/settings/about', label: 'About' },
  ];
  return <Tabs items={items} />;
}
