// /settings/roles: global roles. Built-ins (admin, operator, viewer) are read-only; custom roles
// carry any subset of the seven permissions. A role still held by users cannot be deleted (409).
import { useCallback, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ALL_PERMISSIONS, type Permission, type Role } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useConfirm } from '../../components/Confirm';
import { CheckboxField, TextField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { Badge, EmptyState, ErrorState, Loading, PageHeader } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { placeServerError } from '../../lib/settingsErrors';
import { roleFieldOf, togglePermission, validateRoleForm, type RoleErrors, type RoleForm } from '../../lib/settingsUsers';
import { SettingsTabs } from './SettingsTabs';
import './settings.css';

const PERMISSION_HINTS: Record<Permission, string> = {
  'project:read': 'See every project',
  'project:write': 'Change every project, its tokens and members',
  'model:read': 'See models',
  'model:write': 'Add, change and delete models',
  'user:read': 'See users and roles',
  'user:write': 'Manage users, roles and settings',
  'report:read': 'See usage and reports',
};

export default function RolesPage() {
  const { can } = useAuth();
  const canWrite = can('user:write');
  const toast = useToast();
  const confirm = useConfirm();
  const { data, error, loading, reload } = useApi((signal) => api.get<Role[]>('/api/roles', undefined, signal), []);
  const [editing, setEditing] = useState<{ role: Role | null } | null>(null);
  const close = useCallback(() => setEditing(null), []);

  const remove = async (r: Role) => {
    if (!(await confirm({ title: 'Delete role', message: <>Delete the role <strong>{r.name}</strong>?</>, confirmLabel: 'Delete' }))) return;
    try {
      await api.del(`/api/roles/${encodeURIComponent(r.id)}`);
      toast.success(`Role ${r.name} deleted.`);
      await reload();
    } catch (err) {
      toast.error(err as Error);
    }
  };

  return (
    <div className="settings-page">
      <PageHeader title="Roles"
        actions={canWrite ? <button type="button" className="btn btn-primary" onClick={() => setEditing({ role: null })}>Add role</button> : undefined}>
        What each global role may do. Built-in roles cannot be changed.
      </PageHeader>
      <SettingsTabs />
      {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => void reload()} /> : !data || data.length === 0 ? (
        <EmptyState title="No roles" />
      ) : (
        <div className="card table-wrap">
          <table className="table settings-table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Permissions</th>{canWrite && <th scope="col">Actions</th>}</tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <tr key={r.id} data-testid={`role-row-${r.id}`}>
                  <td>{r.name} {r.builtin && <Badge>built-in</Badge>}</td>
                  <td><code>{r.id}</code></td>
                  <td>
                    <div className="perm-list">
                      {r.permissions.length === 0 ? <span className="muted">none</span>
                        : r.permissions.map((p) => <Badge key={p} tone="info">{p}</Badge>)}
                    </div>
                  </td>
                  {canWrite && (
                    <td>
                      {!r.builtin && (
                        <div className="settings-actions">
                          <button type="button" className="btn btn-small" aria-label={`Edit ${r.name}`} onClick={() => setEditing({ role: r })}>Edit</button>
                          <button type="button" className="btn btn-small btn-danger" aria-label={`Delete ${r.name}`} onClick={() => void remove(r)}>Delete</button>
                        </div>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <RoleModal role={editing.role} onClose={close}
          onSaved={(r, created) => { toast.success(created ? `Role ${r.name} added.` : `Role ${r.name} saved.`); setEditing(null); void reload(); }} />
      )}
    </div>
  );
}

function RoleModal({ role, onClose, onSaved }: { role: Role | null; onClose: () => void; onSaved: (r: Role, created: boolean) => void }) {
  const creating = role === null;
  const toast = useToast();
  const [form, setForm] = useState<RoleForm>({ name: role?.name ?? '', permissions: role?.permissions ?? [] });
  const [errors, setErrors] = useState<RoleErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateRoleForm(form);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      const body = { name: form.name.trim(), permissions: form.permissions };
      const saved = creating ? await api.post<Role>('/api/roles', body) : await api.put<Role>(`/api/roles/${encodeURIComponent(role.id)}`, body);
      onSaved(saved ?? { ...(role as Role), ...body }, creating);
    } catch (err) {
      const placed = placeServerError(err, roleFieldOf);
      if (placed.field) setErrors({ [placed.field]: placed.message });
      else setFormError(placed.message);
      toast.error(err as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={creating ? 'Add role' : `Edit role ${role.name}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Role">
        {formError && <div className="form-error" role="alert">{formError}</div>}
        <TextField label="Role name" id="role-name" value={form.name} error={errors.name}
          hint={creating ? 'The id is derived from the name.' : undefined} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />
        <fieldset>
          <legend>Permissions</legend>
          <div className="perm-grid">
            {ALL_PERMISSIONS.map((p) => (
              <CheckboxField key={p} label={p} id={`role-perm-${p.replace(':', '-')}`} hint={PERMISSION_HINTS[p]}
                checked={form.permissions.includes(p)}
                onChange={(e) => setForm((f) => ({ ...f, permissions: togglePermission(f.permissions, p, e.target.checked, ALL_PERMISSIONS) }))} />
            ))}
          </div>
          {errors.permissions && <div className="field-error" role="alert">{errors.permissions}</div>}
        </fieldset>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? 'Saving…' : creating ? 'Create role' : 'Save'}</button>
        </div>
      </form>
    </Modal>
  );
}
