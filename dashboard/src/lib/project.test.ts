import { describe, expect, it } from 'vitest';
import { anthropicSnippet, errorField, routingErrorTarget, maskedToken, memberRole, moveItem, openAiSnippet, parseLabels, slugPreview, splitIndexedField } from './project';

describe('moveItem', () => {
  it('moves up and down without mutating', () => {
    const src = ['a', 'b', 'c'];
    expect(moveItem(src, 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(src, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(src, 0, 2)).toEqual(['b', 'c', 'a']);
    expect(src).toEqual(['a', 'b', 'c']);
  });
  it('clamps the target and ignores bad sources', () => {
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(moveItem(['a', 'b'], 0, 9)).toEqual(['b', 'a']);
    const same = ['a'];
    expect(moveItem(same, 3, 0)).toBe(same);
  });
});

describe('server field errors', () => {
  it('reads the field named by a validation message', () => {
    expect(errorField("field 'policies[1].config.windowMinutes' must be greater than 0")).toBe('policies[1].config.windowMinutes');
    expect(errorField('name: must not be empty')).toBe('name');
    expect(errorField('user with email x not found')).toBeNull();
  });
  it('places routing save errors next to the policy field or model', () => {
    expect(routingErrorTarget("field 'policies[1].config.windowMinutes' must be greater than 0"))
      .toMatchObject({ list: 'policies', index: 1, key: 'windowMinutes' });
    expect(routingErrorTarget("field 'policies[0].config.cache.ttl_seconds' must be a number").key).toBe('cache.ttl_seconds');
    expect(routingErrorTarget("field 'policies[2].config.intents.code.examples' must be an array of strings").key).toBe('intents');
    expect(routingErrorTarget("field 'policies[0].config.fallbackModelIds[1]' must be a string").key).toBe('fallbackModelIds');
    expect(routingErrorTarget("field 'policies[3].type' repeats policy 'x'")).toMatchObject({ index: 3, key: 'type' });
    expect(routingErrorTarget("field 'models[0].modelId' names an unknown model: 'nope'")).toMatchObject({ list: 'models', index: 0 });
    expect(routingErrorTarget('something else broke')).toMatchObject({ list: 'form', index: -1 });
  });
  it('splits indexed fields', () => {
    expect(splitIndexedField('policies[1].config.cache.ttl_seconds')).toEqual({ list: 'policies', index: 1, rest: 'config.cache.ttl_seconds' });
    expect(splitIndexedField('models[0]')).toEqual({ list: 'models', index: 0, rest: '' });
    expect(splitIndexedField('name')).toBeNull();
  });
});

describe('misc helpers', () => {
  it('finds the member role of a user', () => {
    const p = { members: [{ userId: 'u1', role: 'editor' as const }] };
    expect(memberRole(p, 'u1')).toBe('editor');
    expect(memberRole(p, 'u2')).toBeNull();
    expect(memberRole(undefined, 'u1')).toBeNull();
  });
  it('parses labels, trimming and de-duplicating', () => {
    expect(parseLabels(' prod, web ,,prod')).toEqual(['prod', 'web']);
  });
  it('previews slugs like the server', () => {
    expect(slugPreview('My  App!')).toBe('my-app');
  });
  it('masks tokens and builds SDK snippets', () => {
    expect(maskedToken('sk-rt-4d27')).toBe('sk-rt-4d27…');
    expect(maskedToken(undefined)).toBe('sk-rt-…');
    expect(openAiSnippet('http://h/v1', 'T')).toContain('base_url="http://h/v1"');
    expect(anthropicSnippet('http://h/v1', 'T')).toContain('base_url="http://h"');
  });
});
