// Users, roles and the own profile: form validation and request bodies (docs/management-api.md
// "User", /api/roles, PUT /api/me). Passwords need ≥ 8 characters; e-mails need an '@'.
import type { Permission } from '../api/types';

export const MIN_PASSWORD = 8;

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+$/.test(s.trim());

// ---------- Users ----------

export interface UserForm { email: string; password: string; roleId: string }
export type UserErrors = Partial<Record<keyof UserForm, string>>;

// On edit an empty password keeps the current one.
export function validateUserForm(f: UserForm, creating: boolean): UserErrors {
  const e: UserErrors = {};
  if (!isEmail(f.email)) e.email = 'Enter an e-mail address.';
  if ((creating || f.password !== '') && f.password.length < MIN_PASSWORD) e.password = `Use at least ${MIN_PASSWORD} characters.`;
  if (!f.roleId) e.roleId = 'Choose a role.';
  return e;
}

export function userFieldOf(path: string): keyof UserForm | null {
  if (path === 'email') return 'email';
  if (path === 'password' || path === 'newPassword') return 'password';
  if (path === 'role' || path === 'roleId') return 'roleId';
  return null;
}

// ---------- Roles ----------

export interface RoleForm { name: string; permissions: Permission[] }
export type RoleErrors = Partial<Record<keyof RoleForm, string>>;

export function validateRoleForm(f: RoleForm): RoleErrors {
  const e: RoleErrors = {};
  if (!f.name.trim()) e.name = 'Give the role a name.';
  return e;
}

// Toggles one permission, keeping the list in the canonical order of `all`.
export function togglePermission(current: Permission[], p: Permission, on: boolean, all: Permission[]): Permission[] {
  const set = new Set(current);
  if (on) set.add(p);
  else set.delete(p);
  return all.filter((x) => set.has(x));
}

export function roleFieldOf(path: string): keyof RoleForm | null {
  if (path === 'name' || path === 'id') return 'name';
  if (path.startsWith('permissions')) return 'permissions';
  return null;
}

// ---------- Profile ----------

export interface ProfileForm { currentPassword: string; newEmail: string; newPassword: string; confirmPassword: string }
export type ProfileErrors = Partial<Record<keyof ProfileForm, string>> & { form?: string };

export function validateProfile(f: ProfileForm, currentEmail: string): ProfileErrors {
  const e: ProfileErrors = {};
  const emailChange = f.newEmail.trim() !== '' && f.newEmail.trim().toLowerCase() !== currentEmail.toLowerCase();
  const passwordChange = f.newPassword !== '' || f.confirmPassword !== '';
  if (!emailChange && !passwordChange) e.form = 'Enter a new e-mail address or a new password.';
  if (!f.currentPassword) e.currentPassword = 'Enter your current password.';
  if (f.newEmail.trim() && !isEmail(f.newEmail)) e.newEmail = 'Enter an e-mail address.';
  if (passwordChange) {
    if (f.newPassword.length < MIN_PASSWORD) e.newPassword = `Use at least ${MIN_PASSWORD} characters.`;
    if (f.confirmPassword !== f.newPassword) e.confirmPassword = 'The passwords do not match.';
  }
  return e;
}

export function profileToBody(f: ProfileForm, currentEmail: string): { currentPassword: string; newEmail?: string; newPassword?: string } {
  const body: { currentPassword: string; newEmail?: string; newPassword?: string } = { currentPassword: f.currentPassword };
  const email = f.newEmail.trim();
  if (email && email.toLowerCase() !== currentEmail.toLowerCase()) body.newEmail = email;
  if (f.newPassword) body.newPassword = f.newPassword;
  return body;
}

export function profileFieldOf(path: string): keyof ProfileForm | null {
  if (path === 'currentPassword' || path === 'newEmail' || path === 'newPassword') return path;
  if (path === 'email') return 'newEmail';
  if (path === 'password') return 'newPassword';
  return null;
}
