// Projects list (SPEC §10 `projects`): name, slug, model and token counts, creation date;
// create and (after confirmation) delete where the caller may.
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { Project } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useConfirm } from '../../components/Confirm';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatDateTime } from '../../lib/format';
import { memberRole } from '../../lib/project';
import './projects.css';

export default function ProjectsPage() {
  const { user, can } = useAuth();
  const confirm = useConfirm();
  const toast = useToast();
  const { data, error, loading, reload } = useApi<Project[]>((signal) => api.get<Project[]>('/api/projects', undefined, signal), []);
  const canCreate = can('project:write');

  const remove = async (p: Project) => {
    const ok = await confirm({
      title: 'Delete project',
      message: `Delete project "${p.name}"? Its tokens stop working at once. Usage records are kept.`,
      confirmLabel: 'Delete',
    });
    if (!ok) return;
    try {
      await api.del(`/api/projects/${encodeURIComponent(p.id)}`);
      toast.success(`Project "${p.name}" deleted`);
      await reload();
    } catch (e) {
      toast.error(e as Error);
    }
  };

  const actions = canCreate ? <Link className="btn btn-primary" to="/projects/new">Create project</Link> : undefined;
  return (
    <>
      <PageHeader title="Projects" actions={actions}>Each project has its own models, routing policies, tokens and budgets.</PageHeader>
      {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => void reload()} /> : !data || data.length === 0 ? (
        <div className="card">
          <EmptyState title="No projects yet">
            {canCreate ? <>Create a project to get a token for your applications. <Link to="/projects/new">Create project</Link></> : 'You are not a member of any project.'}
          </EmptyState>
        </div>
      ) : (
        <div className="card">
          <div className="table-wrap">
            <table className="table" data-testid="projects-table">
              <thead>
                <tr><th>Name</th><th>Slug</th><th className="num">Models</th><th className="num">Tokens</th><th>Created</th><th><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {data.map((p) => {
                  const canDelete = can('project:write') || memberRole(p, user?.id) === 'admin';
                  return (
                    <tr key={p.id}>
                      <td><Link to={`/projects/${encodeURIComponent(p.id)}/general`}>{p.name}</Link></td>
                      <td><code>{p.slug}</code></td>
                      <td className="num">{p.models?.length ?? 0}</td>
                      <td className="num">{p.tokens?.length ?? 0}</td>
                      <td>{formatDateTime(p.createdAt)}</td>
                      <td className="num">
                        {canDelete && (
                          <button type="button" className="btn btn-small btn-danger" aria-label={`Delete project ${p.name}`} onClick={() => void remove(p)}>Delete</button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
