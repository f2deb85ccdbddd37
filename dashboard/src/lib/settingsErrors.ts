// Where a server validation error belongs in a form: ApiError.field names it.
import { ApiError } from '../api/client';

export function serverField(e: unknown): string | null {
  return e instanceof ApiError ? e.field : null;
}

// The message without its "field 'x' " lead, for display right under the field it names.
export function fieldMessage(e: Error): string {
  const m = /^field '[^']+' (.*)$/s.exec(e.message);
  return m ? capitalize(m[1]) : e.message;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

// Routes a failed save to a field of the form (via `mapField`, which turns the server's field
// path into the form's key, or null when the form has no such field) or to the form as a whole.
export function placeServerError<K extends string>(
  e: unknown,
  mapField: (serverPath: string) => K | null,
): { field: K | null; message: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  const path = serverField(err);
  const field = path ? mapField(path) : null;
  return { field, message: field ? fieldMessage(err) : err.message };
}
