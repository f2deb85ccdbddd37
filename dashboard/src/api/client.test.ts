import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildUrl, onSessionEnd, refreshSession } from './client';
import { loadSession, needsRefresh, saveSession, tokenExpiry } from './session';
import type { Session } from './types';

function jwt(expSeconds: number): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1', exp: expSeconds })}.sig`;
}

function session(token: string, refreshToken = 'r1'): Session {
  return { token, refreshToken, expiresIn: 86400, user: { id: 'u1', email: 'a@b.c', role: 'admin', permissions: [] } };
}

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('session', () => {
  it('reads the exp claim of a JWT in milliseconds', () => {
    expect(tokenExpiry(jwt(1_900_000_000))).toBe(1_900_000_000_000);
    expect(tokenExpiry('not-a-jwt')).toBeNull();
    expect(tokenExpiry('a.!!!.c')).toBeNull();
  });

  it('asks for a refresh within five minutes of expiry only', () => {
    const now = Date.now();
    expect(needsRefresh(jwt(Math.floor(now / 1000) + 60), now)).toBe(true);
    expect(needsRefresh(jwt(Math.floor(now / 1000) + 3600), now)).toBe(false);
  });
});

describe('ApiError.field', () => {
  it('names the field of a validation message', () => {
    expect(new ApiError(400, 'validation_error', 'models[0].modelId: unknown model').field).toBe('models[0].modelId');
    expect(new ApiError(400, 'validation_error', 'password must have at least 8 characters').field).toBe('password');
    expect(new ApiError(400, 'validation_error', "field 'endpoint' must be an http(s) URL").field).toBe('endpoint');
    expect(new ApiError(400, 'validation_error', "field 'policies[1].config.x' is required").field).toBe('policies[1].config.x');
    expect(new ApiError(409, 'conflict', 'email: taken').field).toBeNull();
  });
});

describe('buildUrl', () => {
  it('drops empty parameters and encodes the rest', () => {
    expect(buildUrl('/api/usage', { page: 2, project: 'a b', model: '', outcome: undefined })).toBe('/api/usage?page=2&project=a+b');
    expect(buildUrl('/api/usage', {})).toBe('/api/usage');
  });
});

describe('request', () => {
  const fetchMock = vi.fn();
  beforeEach(() => {
    localStorage.clear();
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends the bearer token and parses JSON; 204 has no body', async () => {
    saveSession(session(jwt(Math.floor(Date.now() / 1000) + 3600)));
    fetchMock.mockResolvedValueOnce(json(200, [{ id: 'm' }])).mockResolvedValueOnce(new Response(null, { status: 204 }));
    expect(await api.get('/api/models')).toEqual([{ id: 'm' }]);
    expect(fetchMock.mock.calls[0][1].headers.authorization).toMatch(/^Bearer /);
    expect(await api.del('/api/models/m')).toBeUndefined();
  });

  it('on a 401 refreshes once, stores the new session and retries', async () => {
    saveSession(session(jwt(Math.floor(Date.now() / 1000) + 3600), 'old-refresh'));
    const renewed = session(jwt(Math.floor(Date.now() / 1000) + 7200), 'new-refresh');
    fetchMock
      .mockResolvedValueOnce(json(401, { error: 'unauthorized', message: 'expired' }))
      .mockResolvedValueOnce(json(200, renewed))
      .mockResolvedValueOnce(json(200, { ok: true }));
    expect(await api.get('/api/me')).toEqual({ ok: true });
    expect(JSON.parse(fetchMock.mock.calls[1][1].body)).toEqual({ refreshToken: 'old-refresh' });
    expect(loadSession()?.refreshToken).toBe('new-refresh');
    expect(fetchMock.mock.calls[2][1].headers.authorization).toBe(`Bearer ${renewed.token}`);
  });

  it('ends the session when the refresh fails', async () => {
    saveSession(session(jwt(Math.floor(Date.now() / 1000) + 3600)));
    const ended = vi.fn();
    const off = onSessionEnd(ended);
    fetchMock
      .mockResolvedValueOnce(json(401, { error: 'unauthorized', message: 'expired' }))
      .mockResolvedValueOnce(json(401, { error: 'unauthorized', message: 'refresh token revoked' }))
      .mockResolvedValueOnce(json(401, { error: 'unauthorized', message: 'expired' }));
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(ended).toHaveBeenCalledOnce();
    expect(loadSession()).toBeNull();
    off();
  });

  it('concurrent refreshes share one request (refresh tokens rotate)', async () => {
    saveSession(session(jwt(Math.floor(Date.now() / 1000) + 3600)));
    let resolve!: (r: Response) => void;
    fetchMock.mockReturnValueOnce(new Promise<Response>((r) => { resolve = r; }));
    const a = refreshSession();
    const b = refreshSession();
    resolve(json(200, session(jwt(Math.floor(Date.now() / 1000) + 7200), 'r2')));
    expect(await a).toBe(true);
    expect(await b).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('refreshes proactively when the token expires within five minutes', async () => {
    saveSession(session(jwt(Math.floor(Date.now() / 1000) + 30), 'soon'));
    fetchMock
      .mockResolvedValueOnce(json(200, session(jwt(Math.floor(Date.now() / 1000) + 7200), 'later')))
      .mockResolvedValueOnce(json(200, []));
    await api.get('/api/models');
    expect(fetchMock.mock.calls[0][0]).toBe('/api/auth/refresh');
    expect(loadSession()?.refreshToken).toBe('later');
  });

  it('without a session it refuses locally instead of sending a request the server would refuse', async () => {
    await expect(api.get('/api/models')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(fetchMock).not.toHaveBeenCalled();
    fetchMock.mockResolvedValueOnce(json(200, { needsSetup: true }));
    expect(await api.get('/api/setup/status')).toEqual({ needsSetup: true });
  });

  it('turns error envelopes into ApiError with code and message', async () => {
    saveSession(session(jwt(Math.floor(Date.now() / 1000) + 3600)));
    fetchMock.mockResolvedValueOnce(json(409, { error: 'conflict', message: "model 'x' is used by project p" }));
    await expect(api.post('/api/models', {})).rejects.toMatchObject({ status: 409, code: 'conflict', message: "model 'x' is used by project p" });
  });
});
