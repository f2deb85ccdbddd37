// A value over time (cost or calls per hour/day) that fills its container's width.
// `series` lists the stacked data keys; `kind` picks area (cost) or stacked bars (calls).
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPoint } from '../../lib/usage';
import { seriesColor, tooltipStyles, useChartTheme } from './chartTheme';
import './charts.css';

export interface TimeSeries {
  key: keyof ChartPoint & string;
  name: string;
  color?: 'danger' | 'success' | number; // a theme colour or a --chart-N index (0-based)
}

interface Props {
  data: ChartPoint[];
  series: TimeSeries[];
  kind?: 'area' | 'bar';
  format: (value: number) => string;
  label: string; // accessible name of the chart
  height?: number;
}

export function TimeSeriesChart({ data, series, kind = 'area', format, label, height = 240 }: Props) {
  const theme = useChartTheme();
  const colorOf = (s: TimeSeries, i: number) =>
    s.color === 'danger' ? theme.danger : s.color === 'success' ? theme.success : seriesColor(theme, typeof s.color === 'number' ? s.color : i);
  const axis = { stroke: theme.grid, tick: { fill: theme.muted, fontSize: 12 }, tickLine: false };
  const tooltip = (
    <Tooltip
      {...tooltipStyles(theme)}
      labelFormatter={(l, payload) => {
        const bucket = (payload?.[0]?.payload as ChartPoint | undefined)?.bucket;
        return bucket ? bucketTitle(bucket) : String(l);
      }}
      formatter={(value) => format(Number(value))}
    />
  );
  const common = { data, margin: { top: 8, right: 12, left: 4, bottom: 0 } };
  return (
    <figure className="chart" aria-label={label} role="group">
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
        {kind === 'area' ? (
          <AreaChart {...common}>
            <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" {...axis} minTickGap={16} />
            <YAxis {...axis} width={72} tickFormatter={(v: number) => format(v)} allowDecimals />
            {tooltip}
            {series.length > 1 && <Legend wrapperStyle={{ color: theme.text }} itemSorter={null} />}
            {series.map((s, i) => (
              <Area key={s.key} type="linear" dataKey={s.key} name={s.name} stackId="1"
                stroke={colorOf(s, i)} fill={colorOf(s, i)} fillOpacity={0.25} strokeWidth={2} isAnimationActive={false}
                dot={data.length <= 31 ? { r: 2.5, fill: colorOf(s, i), strokeWidth: 0 } : false} />
            ))}
          </AreaChart>
        ) : (
          <BarChart {...common}>
            <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" {...axis} minTickGap={16} />
            <YAxis {...axis} width={56} tickFormatter={(v: number) => format(v)} allowDecimals={false} />
            {tooltip}
            {series.length > 1 && <Legend wrapperStyle={{ color: theme.text }} itemSorter={null} />}
            {series.map((s, i) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="1" fill={colorOf(s, i)} isAnimationActive={false} maxBarSize={36} />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}

// "2026-11-24T06" → local "24/11/2026, 07:00"; "2026-11-24" stays a (UTC) day.
function bucketTitle(bucket: string): string {
  if (bucket.length === 13) {
    const d = new Date(`${bucket}:00:00.000Z`);
    return Number.isNaN(d.getTime()) ? bucket : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  return `${bucket} (UTC)`;
}

export default TimeSeriesChart;
