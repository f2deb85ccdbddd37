// Add / edit one notification channel. Secrets arrive masked ("********"); leaving the mask in
// place keeps the stored secret, typing a new value replaces it, clearing it removes it.
import { useState, type FormEvent } from 'react';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import {
  CHANNEL_TYPES, CHANNEL_TYPE_LABELS, SECRET_MASK, emptyChannel, validateChannel,
  type ChannelErrors, type ChannelForm, type ChannelType,
} from '../../lib/settingsForm';

interface Props {
  initial: ChannelForm;
  onClose: () => void;
  // Saves the channel; resolves to server errors to show (field → message), or null on success.
  onSave: (form: ChannelForm) => Promise<{ errors: ChannelErrors; message: string | null } | null>;
}

export function ChannelModal({ initial, onClose, onSave }: Props) {
  const creating = !initial.id;
  const [form, setForm] = useState<ChannelForm>(initial);
  const [errors, setErrors] = useState<ChannelErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<ChannelForm>) => setForm((f) => ({ ...f, ...patch }));

  const changeType = (provider: ChannelType) => {
    // Keep what the types share (name, sender, recipients); drop the rest.
    setForm((f) => ({ ...emptyChannel(provider), id: f.id, name: f.name, fromAddress: f.fromAddress, fromName: f.fromName, to: f.to }));
    setErrors({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateChannel(form);
    setErrors(found);
    setFormError(Object.keys(found).length ? 'Please correct the highlighted fields.' : null);
    if (Object.keys(found).length) return;
    setSaving(true);
    const failed = await onSave(form);
    setSaving(false);
    if (failed) {
      setErrors(failed.errors);
      setFormError(failed.message);
    }
  };

  const secretHint = (value: string) => (value === SECRET_MASK ? 'Stored; leave as is to keep it.' : undefined);
  const email = form.provider !== 'webhook';
  return (
    <Modal title={creating ? 'Add channel' : 'Edit channel'} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Notification channel">
        {formError && <div className="form-error" role="alert">{formError}</div>}
        <div className="row">
          <SelectField label="Type" id="channel-type" value={form.provider} error={errors.provider}
            onChange={(e) => changeType(e.target.value as ChannelType)}>
            {CHANNEL_TYPES.map((t) => <option key={t} value={t}>{CHANNEL_TYPE_LABELS[t]}</option>)}
          </SelectField>
          <TextField label="Channel name" id="channel-name" value={form.name} error={errors.name} hint="Optional label."
            onChange={(e) => set({ name: e.target.value })} />
        </div>
        {form.provider === 'webhook' && (
          <>
            <div className="row">
              <TextField label="URL" id="channel-url" type="url" value={form.url} error={errors.url}
                placeholder="https://hooks.example.com/routerly" onChange={(e) => set({ url: e.target.value })} />
              <SelectField label="Method" id="channel-method" value={form.method} error={errors.method}
                onChange={(e) => set({ method: e.target.value as 'POST' | 'GET' })}>
                <option value="POST">POST</option>
                <option value="GET">GET</option>
              </SelectField>
            </div>
            <TextField label="Signing secret" id="channel-secret" type="password" autoComplete="new-password" value={form.secret}
              error={errors.secret} hint={secretHint(form.secret) ?? 'Optional; signs the body (X-Routerly-Signature).'}
              onChange={(e) => set({ secret: e.target.value })} />
          </>
        )}
        {email && (
          <>
            <div className="row">
              <TextField label="From address" id="channel-from" type="email" value={form.fromAddress} error={errors.fromAddress}
                onChange={(e) => set({ fromAddress: e.target.value })} />
              <TextField label="From name" id="channel-from-name" value={form.fromName} error={errors.fromName}
                hint="Optional." onChange={(e) => set({ fromName: e.target.value })} />
            </div>
            <TextField label="Recipients" id="channel-to" value={form.to} error={errors.to}
              hint="Comma separated; also the default recipients of a test." onChange={(e) => set({ to: e.target.value })} />
          </>
        )}
        {form.provider === 'smtp' && (
          <>
            <div className="row">
              <TextField label="SMTP host" id="channel-host" value={form.host} error={errors.host}
                onChange={(e) => set({ host: e.target.value })} />
              <TextField label="Port" id="channel-port" type="number" min={1} max={65535} inputMode="numeric" value={form.port}
                error={errors.port} hint={form.secure ? 'Empty = 465.' : 'Empty = 587.'} onChange={(e) => set({ port: e.target.value })} />
            </div>
            <CheckboxField label="Implicit TLS (SMTPS)" id="channel-secure" checked={form.secure}
              hint="Off = STARTTLS." onChange={(e) => set({ secure: e.target.checked })} />
            <div className="row">
              <TextField label="Username" id="channel-username" autoComplete="off" value={form.username} error={errors.username}
                hint="Optional." onChange={(e) => set({ username: e.target.value })} />
              <TextField label="Password" id="channel-password" type="password" autoComplete="new-password" value={form.password}
                error={errors.password} hint={secretHint(form.password) ?? 'Optional.'} onChange={(e) => set({ password: e.target.value })} />
            </div>
          </>
        )}
        {form.provider === 'ses' && (
          <div className="row">
            <TextField label="Region" id="channel-region" value={form.region} error={errors.region} placeholder="eu-west-1"
              onChange={(e) => set({ region: e.target.value })} />
            <TextField label="Access key id" id="channel-access-key" autoComplete="off" value={form.accessKeyId}
              error={errors.accessKeyId} onChange={(e) => set({ accessKeyId: e.target.value })} />
            <TextField label="Secret access key" id="channel-secret-key" type="password" autoComplete="new-password"
              value={form.secretAccessKey} error={errors.secretAccessKey} hint={secretHint(form.secretAccessKey)}
              onChange={(e) => set({ secretAccessKey: e.target.value })} />
          </div>
        )}
        {form.provider === 'sendgrid' && (
          <TextField label="SendGrid API key" id="channel-apikey" type="password" autoComplete="new-password" value={form.apiKey}
            error={errors.apiKey} hint={secretHint(form.apiKey)} onChange={(e) => set({ apiKey: e.target.value })} />
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? 'Saving…' : 'Save channel'}</button>
        </div>
      </form>
    </Modal>
  );
}
