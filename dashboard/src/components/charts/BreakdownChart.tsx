// Horizontal bars of one metric per model or project (largest first, the tail summed into
// "Other"), one theme colour per bar. Fills its container's width.
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { topRows, type BreakdownRow } from '../../lib/usage';
import { seriesColor, tooltipStyles, useChartTheme } from './chartTheme';
import './charts.css';

interface Props {
  rows: BreakdownRow[];
  metric: 'cost' | 'calls';
  format: (value: number) => string;
  label: string;
  limit?: number;
}

export function BreakdownChart({ rows, metric, format, label, limit = 8 }: Props) {
  const theme = useChartTheme();
  const data = topRows(rows, metric, limit).map((r) => ({ ...r, name: r.label }));
  const height = Math.max(120, data.length * 34 + 40);
  const longest = Math.max(...data.map((d) => d.name.length), 4);
  return (
    <figure className="chart" aria-label={label} role="group">
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, left: 4, bottom: 0 }}>
          <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" stroke={theme.grid} tick={{ fill: theme.muted, fontSize: 12 }} tickLine={false}
            tickFormatter={(v: number) => format(v)} allowDecimals={metric === 'cost'} />
          <YAxis type="category" dataKey="name" stroke={theme.grid} tick={{ fill: theme.text, fontSize: 12 }} tickLine={false}
            width={Math.min(180, 16 + longest * 7)} interval={0} />
          <Tooltip {...tooltipStyles(theme)} formatter={(value) => format(Number(value))} />
          <Bar dataKey={metric} name={metric === 'cost' ? 'Cost' : 'Calls'} isAnimationActive={false} maxBarSize={24}>
            {data.map((d, i) => <Cell key={d.key} fill={seriesColor(theme, i)} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export default BreakdownChart;
