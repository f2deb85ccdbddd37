// Settings → Notifications: the channels of settings.notifications (add / edit / remove, each
// saved with PUT /api/settings) and a test send per channel (POST /api/notifications/test).
import { useCallback, useState } from 'react';
import { api } from '../../api/client';
import type { Settings } from '../../api/types';
import { useConfirm } from '../../components/Confirm';
import { CheckboxField, TextField } from '../../components/Field';
import { Card, EmptyState, ErrorState, Loading } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { fieldMessage, serverField } from '../../lib/settingsErrors';
import {
  CHANNEL_TYPE_LABELS, channelFieldOf, channelSummary, channelToForm, channelType, emptyChannel, isEmailChannel,
  readChannels, upsertChannel, type Channel, type ChannelErrors, type ChannelForm, type ChannelType,
} from '../../lib/settingsForm';
import { ChannelModal } from './ChannelModal';

interface TestResult { ok: boolean; message: string; fixedSecure?: boolean }

export function NotificationSettings() {
  const toast = useToast();
  const confirm = useConfirm();
  const { data, error, loading, reload, setData } = useApi((signal) => api.get<Settings>('/api/settings', undefined, signal), []);
  const [editing, setEditing] = useState<ChannelForm | null>(null);
  const [testTo, setTestTo] = useState('');
  const [testing, setTesting] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const closeModal = useCallback(() => setEditing(null), []);

  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorState error={error} onRetry={() => void reload()} />;
  if (!data) return null;
  const channels = readChannels(data);
  const notifications = (data.notifications ?? {}) as Record<string, unknown>;

  const putChannels = (list: Record<string, unknown>[]) =>
    api.put<Settings>('/api/settings', { notifications: { ...notifications, channels: list } });

  const save = async (form: ChannelForm): Promise<{ errors: ChannelErrors; message: string | null } | null> => {
    const index = form.id ? channels.findIndex((c) => c.id === form.id) : channels.length;
    try {
      setData(await putChannels(upsertChannel(channels, form)));
      toast.success(form.id ? 'Channel saved.' : 'Channel added.');
      setEditing(null);
      return null;
    } catch (err) {
      toast.error(err as Error);
      const path = serverField(err);
      const field = path ? channelFieldOf(path, index) : null;
      return field
        ? { errors: { [field]: fieldMessage(err as Error) }, message: 'The server rejected a field; see below.' }
        : { errors: {}, message: (err as Error).message };
    }
  };

  const remove = async (c: Channel) => {
    const label = c.name || channelSummary(c);
    if (!(await confirm({ title: 'Remove channel', message: <>Remove the channel <strong>{label}</strong>?</>, confirmLabel: 'Remove' }))) return;
    try {
      setData(await putChannels(channels.filter((x) => x.id !== c.id)));
      toast.success('Channel removed.');
    } catch (err) {
      toast.error(err as Error);
    }
  };

  const sendTest = async (c: Channel) => {
    setTesting(c.id);
    try {
      const body: Record<string, string> = { channelId: c.id };
      if (testTo.trim() && isEmailChannel(channelType(c))) body.to = testTo.trim();
      const res = await api.post<TestResult>('/api/notifications/test', body);
      setResults((r) => ({ ...r, [c.id]: res }));
      if (res.ok) toast.success(res.message || 'Test sent.');
      else toast.error(res.message || 'The test failed.');
    } catch (err) {
      setResults((r) => ({ ...r, [c.id]: { ok: false, message: (err as Error).message } }));
      toast.error(err as Error);
    } finally {
      setTesting(null);
    }
  };

  const setPrivate = async (allow: boolean) => {
    setData({ ...data, allowPrivateWebhooks: allow }); // the checkbox follows the click at once
    try {
      setData(await api.put<Settings>('/api/settings', { allowPrivateWebhooks: allow }));
      toast.success(allow ? 'Webhooks to private addresses allowed.' : 'Webhooks to private addresses blocked.');
    } catch (err) {
      toast.error(err as Error);
      void reload();
    }
  };

  return (
    <div className="grid">
      <Card title="Notification channels"
        actions={<button type="button" className="btn btn-primary" onClick={() => setEditing(emptyChannel())}>Add channel</button>}>
        {channels.length === 0 ? (
          <EmptyState title="No channels">Add a webhook or an e-mail channel to receive budget alerts.</EmptyState>
        ) : (
          <>
            <div className="toolbar">
              <TextField label="Send e-mail tests to" id="channel-test-to" type="email" value={testTo} placeholder="Channel recipients"
                hint="Optional; e-mail channels only." onChange={(e) => setTestTo(e.target.value)} />
            </div>
            <div className="table-wrap">
              <table className="table settings-table">
                <thead>
                  <tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Destination</th><th scope="col">Actions</th></tr>
                </thead>
                <tbody>
                  {channels.map((c) => {
                    const type = channelType(c);
                    const result = results[c.id];
                    const label = c.name || channelSummary(c);
                    return (
                      <tr key={c.id} data-testid={`channel-row-${c.id}`}>
                        <td>{c.name || <span className="muted">(unnamed)</span>}</td>
                        <td>{CHANNEL_TYPE_LABELS[type as ChannelType] ?? type}</td>
                        <td>
                          {channelSummary(c)}
                          {result && (
                            <div className={`test-result ${result.ok ? 'ok' : 'fail'}`} role="status">
                              {result.ok ? '✓ ' : '✗ '}{result.message}
                              {result.fixedSecure !== undefined && ` (TLS setting that worked: ${result.fixedSecure ? 'implicit TLS' : 'STARTTLS'})`}
                            </div>
                          )}
                        </td>
                        <td>
                          <div className="settings-actions">
                            <button type="button" className="btn btn-small" disabled={testing === c.id} aria-label={`Send test to ${label}`}
                              onClick={() => void sendTest(c)}>{testing === c.id ? 'Sending…' : 'Send test'}</button>
                            <button type="button" className="btn btn-small" aria-label={`Edit ${label}`}
                              onClick={() => setEditing(channelToForm(c))}>Edit</button>
                            <button type="button" className="btn btn-small btn-danger" aria-label={`Remove ${label}`}
                              onClick={() => void remove(c)}>Remove</button>
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>
      <Card title="Webhook safety">
        <CheckboxField label="Allow webhooks to private addresses" id="settings-private-webhooks"
          checked={data.allowPrivateWebhooks === true}
          hint="Off blocks localhost and private networks (127.*, 10.*, 192.168.*, …)."
          onChange={(e) => void setPrivate(e.target.checked)} />
      </Card>
      {editing && <ChannelModal initial={editing} onClose={closeModal} onSave={save} />}
    </div>
  );
}
