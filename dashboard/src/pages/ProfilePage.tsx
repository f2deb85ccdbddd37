// /profile: the signed-in user changes their own e-mail and/or password (PUT /api/me, which
// always wants the current password; a password change ends the user's other sessions).
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { User } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { TextField } from '../components/Field';
import { Card, PageHeader } from '../components/States';
import { useToast } from '../components/Toasts';
import { placeServerError } from '../lib/settingsErrors';
import { profileFieldOf, profileToBody, validateProfile, type ProfileErrors, type ProfileForm } from '../lib/settingsUsers';
import './settings/settings.css';

const EMPTY: ProfileForm = { currentPassword: '', newEmail: '', newPassword: '', confirmPassword: '' };

export default function ProfilePage() {
  const { user, updateUser } = useAuth();
  const toast = useToast();
  const [form, setForm] = useState<ProfileForm>(EMPTY);
  const [errors, setErrors] = useState<ProfileErrors>({});
  const [saving, setSaving] = useState(false);
  const email = user?.email ?? '';
  const set = (patch: Partial<ProfileForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateProfile(form, email);
    setErrors(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      const body = profileToBody(form, email);
      const saved = await api.put<User>('/api/me', body);
      updateUser({ email: saved.email });
      setForm(EMPTY);
      toast.success(body.newPassword && body.newEmail ? 'E-mail and password changed.' : body.newPassword ? 'Password changed.' : 'E-mail changed.');
    } catch (err) {
      const placed = placeServerError(err, profileFieldOf);
      setErrors(placed.field ? { [placed.field]: placed.message } : { form: placed.message });
      toast.error(err as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="profile-page">
      <PageHeader title="Profile">Signed in as <strong>{email}</strong>{user?.role ? ` (${user.role})` : ''}.</PageHeader>
      <Card title="Change e-mail or password">
        <form className="profile-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Profile">
          {errors.form && <div className="form-error" role="alert">{errors.form}</div>}
          <TextField label="New e-mail" id="profile-email" type="email" autoComplete="email" value={form.newEmail}
            placeholder={email} error={errors.newEmail} hint="Leave empty to keep your e-mail."
            onChange={(e) => set({ newEmail: e.target.value })} />
          <TextField label="New password" id="profile-new-password" type="password" autoComplete="new-password"
            value={form.newPassword} error={errors.newPassword} hint="At least 8 characters; leave empty to keep it."
            onChange={(e) => set({ newPassword: e.target.value })} />
          <TextField label="Confirm password" id="profile-confirm-password" type="password" autoComplete="new-password"
            value={form.confirmPassword} error={errors.confirmPassword} onChange={(e) => set({ confirmPassword: e.target.value })} />
          <TextField label="Current password" id="profile-current-password" type="password" autoComplete="current-password"
            value={form.currentPassword} error={errors.currentPassword} hint="Required to change anything."
            onChange={(e) => set({ currentPassword: e.target.value })} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
          </div>
        </form>
      </Card>
    </div>
  );
}
