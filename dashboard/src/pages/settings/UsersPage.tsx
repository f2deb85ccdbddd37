// /settings/users: dashboard accounts. Listing needs user:read; adding, editing and deleting
// need user:write. The server refuses to remove or demote the last admin (409).
import { useCallback, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Role, User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useConfirm } from '../../components/Confirm';
import { SelectField, TextField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { Badge, EmptyState, ErrorState, Loading, PageHeader } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatDateTime } from '../../lib/format';
import { placeServerError } from '../../lib/settingsErrors';
import { userFieldOf, validateUserForm, type UserErrors, type UserForm } from '../../lib/settingsUsers';
import { SettingsTabs } from './SettingsTabs';
import './settings.css';

interface Loaded { users: User[]; roles: Role[] }

export default function UsersPage() {
  const { can, user: me } = useAuth();
  const canWrite = can('user:write');
  const toast = useToast();
  const confirm = useConfirm();
  const { data, error, loading, reload } = useApi<Loaded>(async (signal) => {
    const [users, roles] = await Promise.all([
      api.get<User[]>('/api/users', undefined, signal),
      api.get<Role[]>('/api/roles', undefined, signal),
    ]);
    return { users, roles };
  }, []);
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const close = useCallback(() => setEditing(null), []);

  const remove = async (u: User) => {
    if (!(await confirm({ title: 'Delete user', message: <>Delete the account <strong>{u.email}</strong>? Its sessions end at once.</>, confirmLabel: 'Delete' }))) return;
    try {
      await api.del(`/api/users/${encodeURIComponent(u.id)}`);
      toast.success(`User ${u.email} deleted.`);
      await reload();
    } catch (err) {
      toast.error(err as Error);
    }
  };

  const roleName = (id: string) => data?.roles.find((r) => r.id === id)?.name ?? id;
  return (
    <div className="settings-page">
      <PageHeader title="Users"
        actions={canWrite && data ? <button type="button" className="btn btn-primary" onClick={() => setEditing({ user: null })}>Add user</button> : undefined}>
        Accounts that can sign in to this dashboard.
      </PageHeader>
      <SettingsTabs />
      {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => void reload()} /> : !data || data.users.length === 0 ? (
        <EmptyState title="No users" />
      ) : (
        <div className="card table-wrap">
          <table className="table settings-table">
            <thead>
              <tr>
                <th scope="col">E-mail</th><th scope="col">Role</th><th scope="col" className="num">Projects</th><th scope="col">Created</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.email}`}>
                  <td>{u.email}{u.id === me?.id && <> <Badge tone="info">you</Badge></>}</td>
                  <td>{roleName(u.roleId ?? u.role)}</td>
                  <td className="num">{u.projectIds?.length ?? 0}</td>
                  <td>{formatDateTime(u.createdAt)}</td>
                  {canWrite && (
                    <td>
                      <div className="settings-actions">
                        <button type="button" className="btn btn-small" aria-label={`Edit ${u.email}`} onClick={() => setEditing({ user: u })}>Edit</button>
                        <button type="button" className="btn btn-small btn-danger" aria-label={`Delete ${u.email}`} onClick={() => void remove(u)}>Delete</button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && data && (
        <UserModal user={editing.user} roles={data.roles} onClose={close}
          onSaved={(u, created) => { toast.success(created ? `User ${u.email} added.` : `User ${u.email} saved.`); setEditing(null); void reload(); }} />
      )}
    </div>
  );
}

function UserModal({ user, roles, onClose, onSaved }: {
  user: User | null; roles: Role[]; onClose: () => void; onSaved: (u: User, created: boolean) => void;
}) {
  const creating = user === null;
  const toast = useToast();
  const [form, setForm] = useState<UserForm>({ email: user?.email ?? '', password: '', roleId: user?.roleId ?? user?.role ?? 'viewer' });
  const [errors, setErrors] = useState<UserErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<UserForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateUserForm(form, creating);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      const saved = creating
        ? await api.post<User>('/api/users', { email: form.email.trim(), password: form.password, roleId: form.roleId })
        : await api.put<User>(`/api/users/${encodeURIComponent(user.id)}`, {
          email: form.email.trim(), roleId: form.roleId, ...(form.password ? { newPassword: form.password } : {}),
        });
      onSaved(saved, creating);
    } catch (err) {
      const placed = placeServerError(err, userFieldOf);
      if (placed.field) setErrors({ [placed.field]: placed.message });
      else setFormError(placed.message);
      toast.error(err as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={creating ? 'Add user' : `Edit ${user.email}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="User">
        {formError && <div className="form-error" role="alert">{formError}</div>}
        <TextField label="E-mail" id="user-email" type="email" autoComplete="off" value={form.email} error={errors.email}
          onChange={(e) => set({ email: e.target.value })} />
        <TextField label={creating ? 'Password' : 'New password'} id="user-password" type="password" autoComplete="new-password"
          value={form.password} error={errors.password}
          hint={creating ? 'At least 8 characters.' : 'Leave empty to keep the current password.'}
          onChange={(e) => set({ password: e.target.value })} />
        <SelectField label="Role" id="user-role" value={form.roleId} error={errors.roleId} onChange={(e) => set({ roleId: e.target.value })}>
          {roles.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </SelectField>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? 'Saving…' : creating ? 'Create user' : 'Save'}</button>
        </div>
      </form>
    </Modal>
  );
}
