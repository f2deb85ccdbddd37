import { describe, expect, it } from 'vitest';
import { entrySummary, groupTrace, isErrorEntry, scoreTables, type TraceEntry } from './usageTrace';

const trace: TraceEntry[] = [
  { panel: 'router-request', message: 'router:intake', details: { model: 'auto', messageCount: 1 } },
  { panel: 'router-request', message: 'router:policies', details: { policies: [{ type: 'cheapest', weight: 2 }], candidates: ['a', 'b'] } },
  { panel: 'router-response', message: 'policy:result:cheapest', details: { type: 'cheapest', weight: 2, routing: [{ model: 'a', point: 1, contribution: 2 }, { model: 'b', point: 0.5, contribution: 1 }] } },
  { panel: 'router-response', message: 'router:recap', details: {
    policies: [
      { type: 'cheapest', weight: 2, winner: { model: 'a', point: 1 }, scores: [{ model: 'a', point: 1 }, { model: 'b', point: 0.5 }] },
      { type: 'health', weight: 1, winner: null, scores: [{ model: 'b', point: 1 }, { model: 'a', point: 0.9 }] },
    ],
    final: [{ rank: 2, model: 'b', score: 0.61 }, { rank: 1, model: 'a', score: 0.93 }],
    excluded: { c: ['budget-remaining'] },
  } },
  { panel: 'request', message: 'model:request', details: { modelId: 'a', provider: 'openai', stream: true, messageCount: 1 } },
  { panel: 'response', message: 'model:error', details: { modelId: 'a', error: 'upstream 500', latencyMs: 12 } },
  { panel: 'response', message: 'model:success', details: { modelId: 'b', inputTokens: 5, outputTokens: 8, latencyMs: 7, totalCostUsd: 0.0000925 } },
  { panel: 'debug', message: 'odd' },
];

describe('groupTrace', () => {
  it('splits entries into the four panels in order, unknown panels apart', () => {
    const g = groupTrace(trace);
    expect(g['router-request'].map((e) => e.entry.message)).toEqual(['router:intake', 'router:policies']);
    expect(g['router-response'].map((e) => e.index)).toEqual([2, 3]);
    expect(g.request).toHaveLength(1);
    expect(g.response.map((e) => e.entry.message)).toEqual(['model:error', 'model:success']);
    expect(g.other.map((e) => e.index)).toEqual([7]);
    expect(groupTrace(undefined).response).toEqual([]);
  });
});

describe('scoreTables', () => {
  it('turns a policy result into a model table', () => {
    const [t] = scoreTables(trace[2]);
    expect(t.title).toBe('Scores');
    expect(t.columns).toEqual(['model', 'point', 'contribution']);
    expect(t.rows).toEqual([['a', 1, 2], ['b', 0.5, 1]]);
  });

  it('turns the recap into a policy × model matrix ordered by rank, plus exclusions', () => {
    const [matrix, excluded] = scoreTables(trace[3]);
    expect(matrix.columns).toEqual(['model', 'cheapest (×2)', 'health (×1)', 'final score', 'rank']);
    expect(matrix.rows).toEqual([['a', 1, 0.9, 0.93, 1], ['b', 0.5, 1, 0.61, 2]]);
    expect(excluded.rows).toEqual([['c', 'budget-remaining']]);
  });

  it('reads llm-policy scores with reasons and the final list with prompts', () => {
    const [scores] = scoreTables({ panel: 'router-response', message: 'llm-policy:scores', details: { routingModel: 'r', scores: [{ model: 'a', point: 0.8, reason: 'good' }, { model: 'b', point: 0.2 }] } });
    expect(scores.columns).toEqual(['model', 'point', 'reason']);
    expect(scores.rows[1]).toEqual(['b', 0.2, null]);
    const [final] = scoreTables({ panel: 'router-response', message: 'router:result', details: { final: [{ model: 'a', weight: 1, hasPrompt: false }] } });
    expect(final.title).toBe('Final ranking');
    expect(final.rows).toEqual([['a', 1, 'no']]);
  });

  it('has no table for entries without per-model arrays', () => {
    expect(scoreTables(trace[0])).toEqual([]);
    expect(scoreTables(trace[1])).toEqual([]); // candidates are plain strings
    expect(scoreTables({ panel: 'response', message: 'x' })).toEqual([]);
  });
});

describe('entry summaries', () => {
  it('summarises model events and flags errors', () => {
    expect(entrySummary(trace[4])).toBe('a · openai · stream');
    expect(entrySummary(trace[6])).toBe('b · 5 in / 8 out tokens · 7 ms · $0.0000925');
    expect(entrySummary(trace[1])).toBe('2 candidates');
    expect(isErrorEntry(trace[5])).toBe(true);
    expect(isErrorEntry({ message: 'policy:error:llm' })).toBe(true);
    expect(isErrorEntry({ message: 'model:skipped' })).toBe(true);
    expect(isErrorEntry(trace[6])).toBe(false);
    expect(isErrorEntry({ message: 'router:errors-free' })).toBe(false);
  });
});
