import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { fieldMessage, placeServerError, serverField } from './settingsErrors';
import {
  SECRET_MASK, channelFieldOf, channelToForm, emptyChannel, formToChannel, formatUptime, generalFieldOf, generalToBody,
  parseOrigins, readChannels, settingsToGeneral, upsertChannel, validateChannel, validateGeneral, type Channel,
} from './settingsForm';

const settings = {
  port: 3000, host: '0.0.0.0', dashboardEnabled: true, defaultTimeoutMs: 30000, logLevel: 'info',
  publicUrl: 'http://localhost:3000', channel: 'latest', budgets: [], budgetAlertThreshold: 80,
  corsOrigins: ['*'], maxBodyBytes: 33554432,
};

describe('general settings', () => {
  it('round-trips only the keys the server accepts', () => {
    const form = settingsToGeneral(settings);
    expect(form.retentionDays).toBe('');
    const body = generalToBody({ ...form, corsOrigins: 'https://a.example.com\nhttps://b.example.com, *', retentionDays: '30' });
    expect(body).toEqual({
      publicUrl: 'http://localhost:3000', logLevel: 'info', defaultTimeoutMs: 30000, dashboardEnabled: true, channel: 'latest',
      corsOrigins: ['https://a.example.com', 'https://b.example.com', '*'], budgetAlertThreshold: 80, retentionDays: 30,
      maxBodyBytes: 33554432,
    });
    expect(body).not.toHaveProperty('port');
    expect(body).not.toHaveProperty('host');
  });

  it('sends null retention to keep usage forever', () => {
    expect(generalToBody(settingsToGeneral({ ...settings, retentionDays: 90 })).retentionDays).toBe(90);
    expect(generalToBody(settingsToGeneral(settings)).retentionDays).toBeNull();
  });

  it('validates the server ranges', () => {
    expect(validateGeneral(settingsToGeneral(settings))).toEqual({});
    const bad = {
      ...settingsToGeneral(settings), publicUrl: 'localhost', defaultTimeoutMs: '999', budgetAlertThreshold: '0',
      retentionDays: '3651', maxBodyBytes: '100', corsOrigins: 'https://ok.example.com\nhttps://x.example.com/path',
    };
    expect(Object.keys(validateGeneral(bad)).sort()).toEqual(
      ['budgetAlertThreshold', 'corsOrigins', 'defaultTimeoutMs', 'maxBodyBytes', 'publicUrl', 'retentionDays']);
    expect(parseOrigins(' *, ,https://a.b ')).toEqual(['*', 'https://a.b']);
    expect(generalFieldOf('corsOrigins[1]')).toBe('corsOrigins');
    expect(generalFieldOf('port')).toBeNull();
  });
});

describe('notification channels', () => {
  const smtp: Channel = {
    id: 'c1', name: 'Ops', provider: 'smtp', host: 'smtp.example.com', port: 587, secure: false, username: 'u',
    password: SECRET_MASK, fromAddress: 'ops@example.com', to: ['a@example.com', 'b@example.com'],
  };

  it('keeps a masked secret so the server keeps the stored one', () => {
    const form = channelToForm(smtp);
    expect(form.password).toBe(SECRET_MASK);
    expect(form.to).toBe('a@example.com, b@example.com');
    expect(formToChannel(form)).toEqual({
      provider: 'smtp', id: 'c1', name: 'Ops', fromAddress: 'ops@example.com', to: ['a@example.com', 'b@example.com'],
      host: 'smtp.example.com', port: 587, secure: false, username: 'u', password: SECRET_MASK,
    });
  });

  it('sends only the fields of the channel type', () => {
    const hook = { ...emptyChannel('webhook'), url: 'https://hooks.example.com/x', secret: 's3', fromAddress: 'ignored@example.com' };
    expect(formToChannel(hook)).toEqual({ provider: 'webhook', url: 'https://hooks.example.com/x', method: 'POST', secret: 's3' });
    const sg = { ...emptyChannel('sendgrid'), fromAddress: 'a@b.c', apiKey: 'SG.x', host: 'nope' };
    expect(formToChannel(sg)).toEqual({ provider: 'sendgrid', fromAddress: 'a@b.c', apiKey: 'SG.x' });
    const ses = { ...emptyChannel('ses'), fromAddress: 'a@b.c', region: 'eu-west-1', secretAccessKey: '' };
    expect(formToChannel(ses)).toEqual({ provider: 'ses', fromAddress: 'a@b.c', region: 'eu-west-1' });
  });

  it('reads the legacy `type` key', () => {
    expect(channelToForm({ id: 'w', type: 'webhook', url: 'https://x.example.com', method: 'get' } as unknown as Channel))
      .toMatchObject({ provider: 'webhook', method: 'GET' });
  });

  it('validates per type', () => {
    expect(validateChannel({ ...emptyChannel('webhook'), url: 'not a url' }).url).toBeDefined();
    expect(validateChannel({ ...emptyChannel('webhook'), url: 'http://127.0.0.1:9/hook' })).toEqual({});
    const e = validateChannel({ ...emptyChannel('smtp'), fromAddress: 'x', to: 'a@b.c, bad', port: '70000' });
    expect(Object.keys(e).sort()).toEqual(['fromAddress', 'host', 'port', 'to']);
    expect(validateChannel({ ...emptyChannel('ses'), fromAddress: 'a@b.c', region: 'eu west' }).region).toBeDefined();
    expect(validateChannel({ ...emptyChannel('sendgrid'), fromAddress: 'a@b.c' }).apiKey).toBeDefined();
  });

  it('replaces an edited channel and appends a new one', () => {
    const list: Channel[] = [smtp, { id: 'c2', provider: 'webhook', url: 'https://h.example.com' }];
    const edited = upsertChannel(list, { ...channelToForm(list[1]), name: 'Hook' });
    expect(edited).toHaveLength(2);
    expect(edited[0]).toBe(smtp);
    expect(edited[1]).toMatchObject({ id: 'c2', name: 'Hook' });
    const added = upsertChannel(list, { ...emptyChannel('webhook'), url: 'https://n.example.com' });
    expect(added).toHaveLength(3);
    expect(added[2]).not.toHaveProperty('id');
  });

  it('finds channels in settings and maps server paths', () => {
    expect(readChannels({ notifications: { channels: [smtp] } })).toEqual([smtp]);
    expect(readChannels({})).toEqual([]);
    expect(channelFieldOf('notifications.channels[1].fromAddress', 1)).toBe('fromAddress');
    expect(channelFieldOf('notifications.channels[0].fromAddress', 1)).toBeNull();
    expect(channelFieldOf('notifications.channels[1].to[0]', 1)).toBe('to');
  });
});

describe('server errors', () => {
  it('reads the field from both message styles', () => {
    const quoted = new ApiError(400, 'validation_error', "field 'endpoint' must be an http(s) URL");
    expect(serverField(quoted)).toBe('endpoint');
    expect(fieldMessage(quoted)).toBe('Must be an http(s) URL');
    expect(serverField(new ApiError(400, 'validation_error', 'models[0].modelId: unknown model'))).toBe('models[0].modelId');
    expect(serverField(new ApiError(409, 'conflict', "field 'x' taken"))).toBeNull();
  });

  it('falls back to a form-level message', () => {
    const conflict = new ApiError(409, 'conflict', "model 'a' is used by projects 'P'");
    expect(placeServerError(conflict, () => 'x')).toEqual({ field: null, message: "model 'a' is used by projects 'P'" });
    const unknown = new ApiError(400, 'validation_error', "field 'zzz' is not a known setting");
    expect(placeServerError(unknown, () => null)).toEqual({ field: null, message: "field 'zzz' is not a known setting" });
  });

  it('formats uptime', () => {
    expect(formatUptime(42)).toBe('42s');
    expect(formatUptime(93784)).toBe('1d 2h 3m');
    expect(formatUptime(3660)).toBe('1h 1m');
  });
});
