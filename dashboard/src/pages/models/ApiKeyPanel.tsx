// Rotating a stored model's API key (POST /api/models/{id}/apikey). Only the masked form ever
// comes back (SPEC §00 P6), and that is what is shown.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { TextField } from '../../components/Field';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';

export function ApiKeyPanel({ modelId, hasKey }: { modelId: string; hasKey: boolean }) {
  const toast = useToast();
  const path = `/api/models/${encodeURIComponent(modelId)}/apikey`;
  const current = useApi((signal) => api.get<{ apiKey: string | null }>(path, undefined, signal), [path]);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);

  const rotate = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) {
      setError('Enter the new API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ apiKey: string }>(path, { apiKey: value.trim() });
      setRotated(res.apiKey);
      current.setData({ apiKey: res.apiKey });
      setValue('');
      toast.success('API key rotated.');
    } catch (err) {
      setError((err as Error).message);
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const masked = current.data?.apiKey ?? null;
  // A nested <form> is not allowed inside the model form, so this is a group with its own button.
  return (
    <fieldset className="api-key-panel">
      <legend>API key rotation</legend>
      <p className="key-status" data-testid="model-key-status">
        {current.loading && !current.data ? 'Loading key…'
          : masked ? <>Stored key: <code>{masked}</code></> : hasKey ? 'A key is stored.' : 'No key stored.'}
      </p>
      <div className="key-row">
        <TextField label="New API key" id="model-rotate-key" type="password" autoComplete="new-password" value={value}
          error={error} onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') void rotate(e); }} />
        <button type="button" className="btn" disabled={busy} onClick={(e) => void rotate(e)}>Rotate key</button>
      </div>
      {rotated && <p className="muted" role="status">New key stored: <code>{rotated}</code></p>}
    </fieldset>
  );
}
