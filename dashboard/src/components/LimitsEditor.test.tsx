import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Limit } from '../api/types';
import { LimitsEditor } from './LimitsEditor';

let latest: Limit[] = [];
function Harness({ initial = [] as Limit[] }) {
  const [value, setValue] = useState<Limit[]>(initial);
  latest = value;
  return <LimitsEditor idPrefix="t" value={value} onChange={setValue} />;
}

afterEach(cleanup);

describe('LimitsEditor', () => {
  it('adds a row with defaults and removes it', () => {
    render(<Harness />);
    expect(screen.getByText('No limits.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add limit' }));
    expect(latest).toEqual([{ metric: 'cost', windowType: 'period', period: 'monthly', value: 10 }]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove limit 1' }));
    expect(latest).toEqual([]);
  });

  it('switches to a rolling window and validates amount and value inline', () => {
    render(<Harness initial={[{ metric: 'calls', windowType: 'period', period: 'daily', value: 5 }]} />);
    fireEvent.change(screen.getByLabelText('Window'), { target: { value: 'rolling' } });
    expect(latest[0]).toMatchObject({ windowType: 'rolling', rollingAmount: 1, rollingUnit: 'day' });
    fireEvent.change(screen.getByLabelText('Every'), { target: { value: '0' } });
    expect(screen.getByText('Enter a whole number of at least 1')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Value'), { target: { value: '' } });
    expect(screen.getByText('Enter a value greater than 0')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Every'), { target: { value: '15' } });
    fireEvent.change(screen.getByLabelText('Unit'), { target: { value: 'minute' } });
    fireEvent.change(screen.getByLabelText('Value'), { target: { value: '100' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(latest[0]).toMatchObject({ metric: 'calls', rollingAmount: 15, rollingUnit: 'minute', value: 100 });
  });

  it('labels the value in USD for cost limits', () => {
    render(<Harness initial={[{ metric: 'cost', windowType: 'period', period: 'daily', value: 5 }]} />);
    expect(screen.getByLabelText('Value (USD)')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Metric'), { target: { value: 'total_tokens' } });
    expect(latest[0].metric).toBe('total_tokens');
    expect(screen.getByLabelText('Value')).toBeTruthy();
  });
});
