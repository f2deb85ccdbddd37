import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../api/types';
import { profileFieldOf, profileToBody, togglePermission, validateProfile, validateUserForm } from './settingsUsers';

describe('users', () => {
  it('needs a password of 8+ on create, optional on edit', () => {
    expect(validateUserForm({ email: 'a@b.c', password: 'short', roleId: 'viewer' }, true).password).toBeDefined();
    expect(validateUserForm({ email: 'a@b.c', password: '', roleId: 'viewer' }, true).password).toBeDefined();
    expect(validateUserForm({ email: 'a@b.c', password: '', roleId: 'viewer' }, false)).toEqual({});
    expect(validateUserForm({ email: 'nope', password: '12345678', roleId: '' }, true)).toMatchObject({ email: expect.any(String), roleId: expect.any(String) });
  });
});

describe('roles', () => {
  it('keeps permissions in canonical order', () => {
    let p = togglePermission([], 'report:read', true, ALL_PERMISSIONS);
    p = togglePermission(p, 'project:read', true, ALL_PERMISSIONS);
    expect(p).toEqual(['project:read', 'report:read']);
    expect(togglePermission(p, 'project:read', false, ALL_PERMISSIONS)).toEqual(['report:read']);
  });
});

describe('profile', () => {
  const blank = { currentPassword: '', newEmail: '', newPassword: '', confirmPassword: '' };
  it('asks for a change and the current password', () => {
    expect(validateProfile(blank, 'me@x.io')).toMatchObject({ form: expect.any(String), currentPassword: expect.any(String) });
    expect(validateProfile({ ...blank, currentPassword: 'pw', newEmail: 'ME@x.io' }, 'me@x.io').form).toBeDefined();
  });
  it('checks the new password and its confirmation', () => {
    const e = validateProfile({ ...blank, currentPassword: 'pw', newPassword: 'longenough', confirmPassword: 'different' }, 'me@x.io');
    expect(e).toEqual({ confirmPassword: 'The passwords do not match.' });
    expect(validateProfile({ ...blank, currentPassword: 'pw', newPassword: 'short', confirmPassword: 'short' }, 'me@x.io').newPassword).toBeDefined();
  });
  it('sends only what changes', () => {
    expect(profileToBody({ ...blank, currentPassword: 'pw', newEmail: ' new@x.io ' }, 'me@x.io')).toEqual({ currentPassword: 'pw', newEmail: 'new@x.io' });
    expect(profileToBody({ ...blank, currentPassword: 'pw', newEmail: 'me@x.io', newPassword: 'longenough', confirmPassword: 'longenough' }, 'me@x.io'))
      .toEqual({ currentPassword: 'pw', newPassword: 'longenough' });
    expect(profileFieldOf('currentPassword')).toBe('currentPassword');
    expect(profileFieldOf('email')).toBe('newEmail');
  });
});
