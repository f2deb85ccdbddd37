// First start: create the admin account (password ≥ 8, typed twice), then sign in with it.
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { Session } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { TextField } from '../../components/Field';
import { Loading } from '../../components/States';
import { validateNewPassword } from './passwordRules';

export default function SetupPage() {
  const { signIn, user } = useAuth();
  const navigate = useNavigate();
  const [needsSetup, setNeedsSetup] = useState<boolean | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<{ needsSetup: boolean }>('/api/setup/status')
      .then((s) => setNeedsSetup(s.needsSetup))
      .catch(() => setNeedsSetup(true));
  }, []);

  if (user) return <Navigate to="/overview" replace />;
  if (needsSetup === null) return <div className="auth-page"><Loading /></div>;
  if (!needsSetup) return <Navigate to="/login" replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!email.includes('@')) found.email = 'Enter a valid email address.';
    const pw = validateNewPassword(password, confirm);
    if (pw.password) found.password = pw.password;
    if (pw.confirm) found.confirm = pw.confirm;
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const session = await api.post<Session>('/api/setup/first-admin', { email, password });
      signIn(session);
      navigate('/overview', { replace: true });
    } catch (err) {
      const e2 = err as ApiError;
      setErrors({ [e2.field === 'password' ? 'password' : e2.field === 'email' ? 'email' : 'form']: e2.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Welcome to Routerly</h1>
        <p className="muted">Create the first administrator account.</p>
        <TextField label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <TextField label="Password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} hint="At least 8 characters." required />
        <TextField label="Confirm password" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} error={errors.confirm} required />
        {errors.form && <div className="form-error" role="alert">{errors.form}</div>}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{busy ? 'Creating…' : 'Create admin account'}</button>
      </form>
    </div>
  );
}
