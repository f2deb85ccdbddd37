// /settings/:tab — general, notifications and about (users and roles have their own pages
// under /settings/ and share the tab bar).
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { EmptyState, PageHeader } from '../../components/States';
import { AboutSettings } from './AboutSettings';
import { GeneralSettings } from './GeneralSettings';
import { NotificationSettings } from './NotificationSettings';
import { SettingsTabs } from './SettingsTabs';
import './settings.css';

const TABS = ['general', 'notifications', 'about'] as const;

export default function SettingsPage() {
  const { tab } = useParams();
  const { can } = useAuth();
  const known = (TABS as readonly string[]).includes(tab ?? '');
  const needsAdmin = tab === 'general' || tab === 'notifications';
  return (
    <div className="settings-page">
      <PageHeader title="Settings" />
      <SettingsTabs />
      {!known ? (
        <EmptyState title="No such settings section">
          <Link to="/settings/general">Go to the general settings</Link>
        </EmptyState>
      ) : needsAdmin && !can('user:write') ? (
        <EmptyState title="Not allowed">Changing settings needs the user:write permission.</EmptyState>
      ) : tab === 'general' ? <GeneralSettings /> : tab === 'notifications' ? <NotificationSettings /> : <AboutSettings />}
    </div>
  );
}
