// Users tab: the project's members and their roles (viewer reads, editor also writes the
// project, admin also manages members). Editing needs project:write or member admin.
import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../../api/client';
import type { Member } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useConfirm } from '../../components/Confirm';
import { SelectField, TextField } from '../../components/Field';
import { Card, EmptyState, ErrorState, Loading } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { errorField } from '../../lib/project';
import { useProjectContext } from './ProjectLayout';

const ROLES: Member['role'][] = ['viewer', 'editor', 'admin'];
const ROLE_HELP: Record<Member['role'], string> = {
  viewer: 'reads the project',
  editor: 'also changes settings, routing, models, budgets and tokens',
  admin: 'also manages members and may delete the project',
};

export default function ProjectMembersTab() {
  const { project, reload: reloadProject, canAdmin } = useProjectContext();
  const { user } = useAuth();
  const toast = useToast();
  const confirm = useConfirm();
  const base = `/api/projects/${encodeURIComponent(project.id)}/members`;
  const { data, error, loading, reload } = useApi<Member[]>((signal) => api.get<Member[]>(base, undefined, signal), [base]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Member['role']>('viewer');
  const [formError, setFormError] = useState<{ email?: string; role?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const refresh = async () => { await Promise.all([reload(), reloadProject()]); };

  const add = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!email.trim() || !email.includes('@')) { setFormError({ email: 'Enter the email of an existing user' }); return; }
    setFormError({});
    setBusy(true);
    try {
      await api.post<Member>(base, { email: email.trim(), role });
      toast.success(`${email.trim()} added as ${role}`);
      setEmail('');
      await refresh();
    } catch (err) {
      const msg = (err as Error).message;
      const f = err instanceof ApiError ? errorField(msg) : null;
      if (f === 'role') setFormError({ role: msg });
      else if (f === 'email' || f === 'userId' || (err instanceof ApiError && (err.code === 'conflict' || err.code === 'not_found'))) setFormError({ email: msg });
      else setFormError({ form: msg });
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const changeRole = async (m: Member, next: Member['role']) => {
    try {
      await api.put<Member>(`${base}/${encodeURIComponent(m.userId)}`, { role: next });
      toast.success(`${m.email ?? m.userId} is now ${next}`);
      await refresh();
    } catch (err) {
      toast.error(err as Error);
    }
  };

  const remove = async (m: Member) => {
    const self = m.userId === user?.id;
    const ok = await confirm({
      title: 'Remove member',
      message: `Remove ${m.email ?? m.userId} from "${project.name}"?${self ? ' You may lose access to this project.' : ''}`,
      confirmLabel: 'Remove',
    });
    if (!ok) return;
    try {
      await api.del(`${base}/${encodeURIComponent(m.userId)}`);
      toast.success(`${m.email ?? m.userId} removed`);
      await refresh();
    } catch (err) {
      toast.error(err as Error);
    }
  };

  return (
    <>
      <Card title="Members">
        <p className="muted">Roles: {ROLES.map((r) => `${r} ${ROLE_HELP[r]}`).join('; ')}. Users whose global role grants project permissions need no membership.</p>
        {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => void reload()} /> : !data?.length ? (
          <EmptyState title="No members" />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="members-table">
              <thead><tr><th>Email</th><th>Role</th>{canAdmin && <th><span className="sr-only">Actions</span></th>}</tr></thead>
              <tbody>
                {data.map((m) => (
                  <tr key={m.userId}>
                    <td>{m.email ?? m.userId}{m.userId === user?.id && <span className="muted"> (you)</span>}</td>
                    <td>
                      {canAdmin ? (
                        <select className="input" aria-label={`Role of ${m.email ?? m.userId}`} value={m.role}
                          onChange={(e) => void changeRole(m, e.target.value as Member['role'])}>
                          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                        </select>
                      ) : m.role}
                    </td>
                    {canAdmin && (
                      <td className="num">
                        <button type="button" className="btn btn-small btn-danger" aria-label={`Remove member ${m.email ?? m.userId}`} onClick={() => void remove(m)}>Remove</button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {canAdmin && (
        <Card title="Add member">
          <form onSubmit={add} noValidate>
            {formError.form && <div className="form-error" role="alert">{formError.form}</div>}
            <div className="row row-top">
              <TextField label="Email" name="memberEmail" type="email" value={email} error={formError.email} autoComplete="off"
                hint="The user must already have an account" onChange={(e) => setEmail(e.target.value)} />
              <SelectField label="Role" name="memberRole" value={role} error={formError.role} onChange={(e) => setRole(e.target.value as Member['role'])}>
                {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
              </SelectField>
              <div className="field field-action"><button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Adding…' : 'Add member'}</button></div>
            </div>
          </form>
        </Card>
      )}
    </>
  );
}
