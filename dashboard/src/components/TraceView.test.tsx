import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TraceView } from './TraceView';

describe('TraceView', () => {
  it('renders the four panels with entries, score tables and collapsible details', () => {
    render(
      <TraceView entries={[
        { panel: 'router-response', message: 'policy:result:health', details: { type: 'health', routing: [{ model: 'openai/gpt-4o', point: 1, contribution: 1 }] } },
        { panel: 'response', message: 'model:success', details: { modelId: 'openai/gpt-4o', inputTokens: 3, outputTokens: 4 } },
      ]} />,
    );
    const routerResponse = screen.getByRole('region', { name: 'Router response' });
    expect(within(routerResponse).getByText('policy:result:health')).toBeTruthy();
    expect(within(routerResponse).getByRole('columnheader', { name: 'contribution' })).toBeTruthy();
    expect(within(routerResponse).getByRole('cell', { name: 'openai/gpt-4o' })).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Router request' })).getByText('No events.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Model request' })).getByText('No events.')).toBeTruthy();
    const response = screen.getByRole('region', { name: 'Model response' });
    expect(within(response).getByText(/3 in \/ 4 out tokens/)).toBeTruthy();
    expect(within(response).getByText('Details').closest('details')?.open).toBe(false);
    expect(screen.queryByRole('region', { name: 'Other events' })).toBeNull();
  });
});
