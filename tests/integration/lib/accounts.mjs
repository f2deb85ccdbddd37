// Accounts: the first admin, logins, users with a given global role, custom roles.
import { expectStatus } from './expect.mjs';

export const ADMIN_EMAIL = 'admin@example.com';
export const PASSWORD = 'correct horse battery';

let counter = 0;
export const unique = (prefix = 'x') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

// POST /api/setup/first-admin; returns the session.
export async function setupAdmin(srv, { email = ADMIN_EMAIL, password = PASSWORD } = {}) {
  const res = await srv.api('POST', '/api/setup/first-admin', { body: { email, password } });
  const session = expectStatus(res, 201);
  return { ...session, email, password };
}

// POST /api/auth/login; returns the session.
export async function login(srv, email, password = PASSWORD) {
  const res = await srv.api('POST', '/api/auth/login', { body: { email, password } });
  const session = expectStatus(res, 200);
  return { ...session, email, password };
}

// Creates a user with the given global role through the admin and logs it in.
// Returns {user, session, token, email, password}.
export async function createUser(srv, adminToken, { role = 'viewer', email, password = PASSWORD } = {}) {
  email ??= `${unique(role)}@example.com`;
  const res = await srv.api('POST', '/api/users', { token: adminToken, body: { email, password, role } });
  const user = expectStatus(res, 201);
  const session = await login(srv, email, password);
  return { user, session, token: session.token, email, password };
}

// POST /api/roles by name; returns the role.
export async function createRole(srv, adminToken, name, permissions = []) {
  const res = await srv.api('POST', '/api/roles', { token: adminToken, body: { name, permissions } });
  return expectStatus(res, 201);
}

// POST /api/models with a minimal custom model; returns the model.
export async function createModel(srv, adminToken, id = unique('model'), extra = {}) {
  const body = { id, provider: 'custom', endpoint: 'http://127.0.0.1:9/v1', inputPrice: 1, outputPrice: 2, ...extra };
  const res = await srv.api('POST', '/api/models', { token: adminToken, body });
  return expectStatus(res, 201);
}

// POST /api/projects; returns the project plus its first token value (`token`).
export async function createProject(srv, adminToken, body = {}) {
  const res = await srv.api('POST', '/api/projects', { token: adminToken, body: { name: unique('Project'), ...body } });
  return expectStatus(res, 201);
}
