// Settings forms ↔ the API (docs/management-api.md "Settings", src/config/settings.cpp).
// PUT /api/settings rejects unknown keys, so only the keys the server knows are ever sent.
import type { Settings } from '../api/types';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export const UPDATE_CHANNELS = ['latest', 'stable', 'develop'] as const;
export const SECRET_MASK = '********';

// ---------- General ----------

export interface GeneralForm {
  publicUrl: string;
  logLevel: string;
  defaultTimeoutMs: string;
  dashboardEnabled: boolean;
  channel: string;
  corsOrigins: string; // one origin per line (or comma separated)
  budgetAlertThreshold: string;
  retentionDays: string; // blank = keep usage forever
  maxBodyBytes: string;
}
export type GeneralField = keyof GeneralForm;
export type GeneralErrors = Partial<Record<GeneralField, string>>;

const str = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

export function settingsToGeneral(s: Settings): GeneralForm {
  return {
    publicUrl: str(s.publicUrl),
    logLevel: str(s.logLevel) || 'info',
    defaultTimeoutMs: str(s.defaultTimeoutMs),
    dashboardEnabled: s.dashboardEnabled !== false,
    channel: str(s.channel) || 'latest',
    corsOrigins: Array.isArray(s.corsOrigins) ? s.corsOrigins.map(String).join('\n') : '',
    budgetAlertThreshold: str(s.budgetAlertThreshold),
    retentionDays: str(s.retentionDays),
    maxBodyBytes: str(s.maxBodyBytes),
  };
}

export function parseOrigins(text: string): string[] {
  return text.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean);
}

const isInt = (s: string) => /^\d+$/.test(s.trim());
function intIn(s: string, lo: number, hi: number): boolean {
  return isInt(s) && Number(s) >= lo && Number(s) <= hi;
}
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}
function isOrigin(s: string): boolean {
  if (s === '*') return true;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && (u.pathname === '/' || u.pathname === '') && !s.endsWith('/') && !u.search && !u.hash;
  } catch {
    return false;
  }
}

export function validateGeneral(f: GeneralForm): GeneralErrors {
  const e: GeneralErrors = {};
  if (!isHttpUrl(f.publicUrl)) e.publicUrl = 'Enter an http(s) URL, e.g. https://routerly.example.com.';
  if (!(LOG_LEVELS as readonly string[]).includes(f.logLevel)) e.logLevel = 'Choose a log level.';
  if (!intIn(f.defaultTimeoutMs, 1000, 3600000)) e.defaultTimeoutMs = 'Enter milliseconds from 1000 to 3600000.';
  if (!f.channel.trim()) e.channel = 'Choose an update channel.';
  const bad = parseOrigins(f.corsOrigins).find((o) => !isOrigin(o));
  if (bad !== undefined) e.corsOrigins = `"${bad}" is not "*" or an origin such as https://app.example.com.`;
  if (!intIn(f.budgetAlertThreshold, 1, 100)) e.budgetAlertThreshold = 'Enter a percentage from 1 to 100.';
  if (f.retentionDays.trim() && !intIn(f.retentionDays, 1, 3650)) e.retentionDays = 'Enter 1 to 3650 days, or leave empty to keep usage forever.';
  if (!intIn(f.maxBodyBytes, 1024, 268435456)) e.maxBodyBytes = 'Enter bytes from 1024 to 268435456.';
  return e;
}

// The PUT body of the General tab; an empty retention removes the key (keep forever).
export function generalToBody(f: GeneralForm): Settings {
  return {
    publicUrl: f.publicUrl.trim(),
    logLevel: f.logLevel,
    defaultTimeoutMs: Number(f.defaultTimeoutMs),
    dashboardEnabled: f.dashboardEnabled,
    channel: f.channel.trim(),
    corsOrigins: parseOrigins(f.corsOrigins),
    budgetAlertThreshold: Number(f.budgetAlertThreshold),
    retentionDays: f.retentionDays.trim() ? Number(f.retentionDays) : null,
    maxBodyBytes: Number(f.maxBodyBytes),
  };
}

export function generalFieldOf(path: string): GeneralField | null {
  const head = path.split(/[.[]/)[0];
  const fields: GeneralField[] = ['publicUrl', 'logLevel', 'defaultTimeoutMs', 'dashboardEnabled', 'channel',
    'corsOrigins', 'budgetAlertThreshold', 'retentionDays', 'maxBodyBytes'];
  return (fields as string[]).includes(head) ? (head as GeneralField) : null;
}

// ---------- Notification channels ----------

export const CHANNEL_TYPES = ['webhook', 'smtp', 'ses', 'sendgrid'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const CHANNEL_TYPE_LABELS: Record<ChannelType, string> = {
  webhook: 'Webhook', smtp: 'SMTP', ses: 'Amazon SES', sendgrid: 'SendGrid',
};

export interface Channel {
  id: string;
  name?: string;
  provider: string;
  [key: string]: unknown;
}

export interface ChannelForm {
  id: string; // '' = new (the server assigns one)
  name: string;
  provider: ChannelType;
  url: string;
  method: 'POST' | 'GET';
  secret: string;
  fromAddress: string;
  fromName: string;
  to: string; // comma separated default recipients
  host: string;
  port: string;
  secure: boolean;
  username: string;
  password: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  apiKey: string;
}
export type ChannelField = keyof ChannelForm;
export type ChannelErrors = Partial<Record<ChannelField, string>>;

export function emptyChannel(provider: ChannelType = 'webhook'): ChannelForm {
  return {
    id: '', name: '', provider, url: '', method: 'POST', secret: '', fromAddress: '', fromName: '', to: '',
    host: '', port: '', secure: false, username: '', password: '', region: '', accessKeyId: '',
    secretAccessKey: '', apiKey: '',
  };
}

export function readChannels(s: Settings | undefined): Channel[] {
  const n = s?.notifications as { channels?: unknown } | undefined;
  return Array.isArray(n?.channels) ? (n.channels as Channel[]) : [];
}

export function channelType(c: { provider?: unknown; type?: unknown }): string {
  return str(c.provider) || str(c.type);
}

// A stored channel as form state; secrets stay masked ("********") so saving keeps them.
export function channelToForm(c: Channel): ChannelForm {
  const type = channelType(c);
  const f = emptyChannel((CHANNEL_TYPES as readonly string[]).includes(type) ? (type as ChannelType) : 'webhook');
  const text = (k: string) => str(c[k]);
  return {
    ...f,
    id: str(c.id),
    name: text('name'),
    url: text('url'),
    method: text('method').toUpperCase() === 'GET' ? 'GET' : 'POST',
    secret: text('secret'),
    fromAddress: text('fromAddress'),
    fromName: text('fromName'),
    to: Array.isArray(c.to) ? c.to.map(String).join(', ') : text('to'),
    host: text('host'),
    port: text('port'),
    secure: c.secure === true,
    username: text('username'),
    password: text('password'),
    region: text('region'),
    accessKeyId: text('accessKeyId'),
    secretAccessKey: text('secretAccessKey'),
    apiKey: text('apiKey'),
  };
}

const isMail = (s: string) => /^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(s.trim());
export function parseRecipients(s: string): string[] {
  return s.split(/[,;]/).map((x) => x.trim()).filter(Boolean);
}

export function validateChannel(f: ChannelForm): ChannelErrors {
  const e: ChannelErrors = {};
  if (f.provider === 'webhook') {
    if (!isHttpUrl(f.url)) e.url = 'Enter an http(s) URL.';
    return e;
  }
  if (!isMail(f.fromAddress)) e.fromAddress = 'Enter an e-mail address.';
  if (/[\r\n]/.test(f.fromName)) e.fromName = 'Use a single line.';
  const badTo = parseRecipients(f.to).find((a) => !isMail(a));
  if (badTo !== undefined) e.to = `"${badTo}" is not an e-mail address.`;
  if (f.provider === 'smtp') {
    if (!f.host.trim()) e.host = 'Enter the SMTP host.';
    if (f.port.trim() && !intIn(f.port, 1, 65535)) e.port = 'Enter a port from 1 to 65535.';
  } else if (f.provider === 'ses') {
    if (!/^[A-Za-z0-9-]+$/.test(f.region.trim())) e.region = 'Enter an AWS region such as eu-west-1.';
  } else if (!f.apiKey.trim()) {
    e.apiKey = 'Enter the SendGrid API key.';
  }
  return e;
}

// The stored channel object for a form: only the fields of its type; blank optional values are
// left out; a secret still showing the mask is sent as the mask, which keeps the stored value.
export function formToChannel(f: ChannelForm): Record<string, unknown> {
  const c: Record<string, unknown> = { provider: f.provider };
  if (f.id) c.id = f.id;
  if (f.name.trim()) c.name = f.name.trim();
  const put = (key: string, value: string) => {
    if (value.trim()) c[key] = value.trim();
  };
  if (f.provider === 'webhook') {
    put('url', f.url);
    c.method = f.method;
    put('secret', f.secret);
    return c;
  }
  put('fromAddress', f.fromAddress);
  put('fromName', f.fromName);
  const to = parseRecipients(f.to);
  if (to.length > 0) c.to = to;
  if (f.provider === 'smtp') {
    put('host', f.host);
    if (f.port.trim()) c.port = Number(f.port);
    c.secure = f.secure;
    put('username', f.username);
    put('password', f.password);
  } else if (f.provider === 'ses') {
    put('region', f.region);
    put('accessKeyId', f.accessKeyId);
    put('secretAccessKey', f.secretAccessKey);
  } else {
    put('apiKey', f.apiKey);
  }
  return c;
}

// The full channel list after saving `form` (replacing the channel with its id, or appending).
export function upsertChannel(channels: Channel[], form: ChannelForm): Record<string, unknown>[] {
  const next = formToChannel(form);
  if (!form.id) return [...channels, next];
  return channels.map((c) => (c.id === form.id ? next : c));
}

// "notifications.channels[2].fromAddress" → "fromAddress", when it is the channel being edited.
export function channelFieldOf(path: string, index: number): ChannelField | null {
  const m = /^notifications\.channels\[(\d+)\]\.?([A-Za-z]*)/.exec(path);
  if (!m || Number(m[1]) !== index) return null;
  const key = m[2] as ChannelField;
  const known: ChannelField[] = ['name', 'provider', 'url', 'method', 'secret', 'fromAddress', 'fromName', 'to',
    'host', 'port', 'secure', 'username', 'password', 'region', 'accessKeyId', 'secretAccessKey', 'apiKey'];
  return known.includes(key) ? key : null;
}

export function isEmailChannel(t: string): boolean {
  return t === 'smtp' || t === 'ses' || t === 'sendgrid';
}

// One-line description of a channel for the list.
export function channelSummary(c: Channel): string {
  const t = channelType(c);
  if (t === 'webhook') return `${str(c.method) || 'POST'} ${str(c.url)}`;
  const from = str(c.fromAddress);
  if (t === 'smtp') return `${from} via ${str(c.host)}:${str(c.port)}${c.secure ? ' (TLS)' : ''}`;
  if (t === 'ses') return `${from} via SES ${str(c.region)}`;
  return `${from} via SendGrid`;
}

// 93784 → "1d 2h 3m"; under a minute → "42s".
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d ? `${d}d` : '', d || h ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}
