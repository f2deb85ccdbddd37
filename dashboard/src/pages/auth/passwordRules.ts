// The server's password rule (≥ 8 characters, SPEC §00 P5), checked before sending.
export function validateNewPassword(password: string, confirm: string): { password?: string; confirm?: string } {
  const out: { password?: string; confirm?: string } = {};
  if (password.length < 8) out.password = 'The password must have at least 8 characters.';
  if (confirm !== password) out.confirm = 'The passwords do not match.';
  return out;
}
