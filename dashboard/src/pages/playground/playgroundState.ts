// What the playground remembers for the browser tab (sessionStorage: gone when the tab closes,
// never shared with other tabs) and small helpers the page needs.
import type { ImageAttachment } from '../../lib/chat';

// Other pages (e.g. a freshly created token) may hand a token over by writing this key.
export const TOKEN_KEY = 'routerly.playground.token';
export const MODEL_KEY = 'routerly.playground.model';

export function loadStored(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

export function store(key: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage disabled: the value just is not remembered */
  }
}

// Project tokens are `sk-rt-` + 64 lowercase hex (SPEC §00 P6).
export function tokenLooksValid(token: string): boolean {
  return /^sk-rt-[0-9a-f]{64}$/.test(token.trim());
}

let seq = 0;
export function newId(prefix: string): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}`;
}

export function readImage(file: File): Promise<ImageAttachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ id: newId('img'), name: file.name, size: file.size, dataUrl: String(reader.result) });
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}
