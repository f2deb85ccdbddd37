// Copies a value to the clipboard and says so; falls back to selecting text when the
// clipboard API is unavailable (plain http on a non-localhost address).
import { useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  document.body.removeChild(area);
  return ok;
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" className="btn btn-small" onClick={async () => {
      if (await copyText(value)) { setCopied(true); setTimeout(() => setCopied(false), 1500); }
    }}>{copied ? 'Copied' : label}</button>
  );
}
