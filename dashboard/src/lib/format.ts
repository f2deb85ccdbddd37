// Display formatting shared by every page.

export function formatCost(usd: number | undefined | null): string {
  const v = usd ?? 0;
  if (v === 0) return '$0.00';
  if (Math.abs(v) < 0.01) return `$${v.toFixed(6).replace(/0+$/, '')}`;
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function formatNumber(n: number | undefined | null): string {
  return (n ?? 0).toLocaleString('en-US');
}

export function formatPercent(ratio: number | undefined | null): string {
  if (ratio === undefined || ratio === null || Number.isNaN(ratio)) return '—';
  const pct = ratio <= 1 ? ratio * 100 : ratio;
  return `${pct.toFixed(1)}%`;
}

export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
