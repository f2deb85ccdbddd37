// Chart colours read from the theme's CSS variables (--chart-1..6, --text, --muted, --border,
// --surface), re-read whenever the theme attribute on <html> changes, so SVG charts follow the
// light/dark switch like the rest of the page.
import { useEffect, useState } from 'react';

export interface ChartTheme {
  series: string[];
  text: string;
  muted: string;
  grid: string;
  surface: string;
  danger: string;
  success: string;
}

const FALLBACK: ChartTheme = {
  series: ['#4f46e5', '#0ea5e9', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6'],
  text: '#1b2030', muted: '#5b6478', grid: '#dfe3ec', surface: '#ffffff', danger: '#c62828', success: '#1b7f3b',
};

function readTheme(): ChartTheme {
  if (typeof window === 'undefined' || typeof getComputedStyle !== 'function') return FALLBACK;
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: FALLBACK.series.map((c, i) => v(`--chart-${i + 1}`, c)),
    text: v('--text', FALLBACK.text),
    muted: v('--muted', FALLBACK.muted),
    grid: v('--border', FALLBACK.grid),
    surface: v('--surface', FALLBACK.surface),
    danger: v('--danger', FALLBACK.danger),
    success: v('--success', FALLBACK.success),
  };
}

export function useChartTheme(): ChartTheme {
  const [theme, setTheme] = useState<ChartTheme>(readTheme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(readTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    setTheme(readTheme());
    return () => observer.disconnect();
  }, []);
  return theme;
}

export function seriesColor(theme: ChartTheme, index: number): string {
  return theme.series[((index % theme.series.length) + theme.series.length) % theme.series.length];
}

// Tooltip styling shared by every chart (recharts renders the tooltip as HTML).
export function tooltipStyles(theme: ChartTheme) {
  return {
    contentStyle: { background: theme.surface, border: `1px solid ${theme.grid}`, borderRadius: 6, color: theme.text },
    labelStyle: { color: theme.text, fontWeight: 600 },
    itemStyle: { color: theme.text },
    cursor: { fill: theme.grid, fillOpacity: 0.35, stroke: theme.grid },
  };
}
