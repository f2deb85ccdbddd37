// One project (`/projects/:id`, id or slug): loads it once, shows its name and the route-backed
// tabs, and hands the project to the tab pages through the router outlet context.
import { Link, Outlet, useOutletContext, useParams } from 'react-router-dom';
import { useCallback, useMemo } from 'react';
import { api } from '../../api/client';
import type { Project } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Tabs } from '../../components/Tabs';
import { ErrorState, Loading, PageHeader } from '../../components/States';
import { useApi } from '../../hooks/useApi';
import { memberRole } from '../../lib/project';
import './projects.css';

export interface ProjectContext {
  project: Project;
  reload: () => Promise<void>;
  setProject: (p: Project) => void;
  // May change settings, routing, models, budgets and tokens (project:write or member editor/admin).
  canWrite: boolean;
  // May add, change and remove members and delete the project (project:write or member admin).
  canAdmin: boolean;
}

export function useProjectContext(): ProjectContext {
  return useOutletContext<ProjectContext>();
}

const TABS = [
  { to: 'general', label: 'General' },
  { to: 'routing', label: 'Routing' },
  { to: 'tokens', label: 'Tokens' },
  { to: 'users', label: 'Users' },
  { to: 'logs', label: 'Logs' },
];

export default function ProjectLayout() {
  const { id = '' } = useParams();
  const { user, can } = useAuth();
  const { data, error, loading, reload, setData } = useApi<Project>(
    (signal) => api.get<Project>(`/api/projects/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const setProject = useCallback((p: Project) => setData(p), [setData]);

  const context = useMemo<ProjectContext | null>(() => {
    if (!data) return null;
    const role = memberRole(data, user?.id);
    return {
      project: data, reload, setProject,
      canWrite: can('project:write') || role === 'editor' || role === 'admin',
      canAdmin: can('project:write') || role === 'admin',
    };
  }, [data, reload, setProject, can, user?.id]);

  if (loading && !data) return <Loading label="Loading project…" />;
  if (error && !data) {
    return (
      <>
        <p><Link to="/projects">← Projects</Link></p>
        <ErrorState error={error} onRetry={() => void reload()} />
      </>
    );
  }
  if (!context) return null;
  return (
    <div className="project-page">
      <p className="project-back"><Link to="/projects">← Projects</Link></p>
      <PageHeader title={context.project.name}>
        <span className="muted">Slug <code>{context.project.slug}</code></span>
      </PageHeader>
      <Tabs items={TABS} />
      <Outlet context={context} />
    </div>
  );
}
