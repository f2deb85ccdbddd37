// Shapes of the management API (docs/management-api.md). Optional fields are optional there too.

export type Permission =
  | 'project:read' | 'project:write' | 'model:read' | 'model:write'
  | 'user:read' | 'user:write' | 'report:read';

export const ALL_PERMISSIONS: Permission[] = [
  'project:read', 'project:write', 'model:read', 'model:write', 'user:read', 'user:write', 'report:read',
];

export interface SessionUser { id: string; email: string; role: string; permissions: Permission[] }
export interface Session { token: string; expiresIn: number; refreshToken: string; user: SessionUser }

export interface User { id: string; email: string; roleId: string; role: string; projectIds: string[]; createdAt: string }
export interface Role { id: string; name: string; permissions: Permission[]; builtin: boolean }

export type Metric = 'cost' | 'calls' | 'input_tokens' | 'output_tokens' | 'total_tokens';
export type Period = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type RollingUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month';
export interface Limit {
  metric: Metric;
  windowType: 'period' | 'rolling';
  period?: Period;
  rollingAmount?: number;
  rollingUnit?: RollingUnit;
  value: number;
}
export type LimitsMode = 'replace' | 'extend' | 'disable';

export interface PricingTier { metric?: string; above: number; input: number; output: number; cache?: number }
export interface ModelCost {
  inputPerMillion: number; outputPerMillion: number;
  cachePerMillion?: number; cacheWritePerMillion?: number; pricingTiers?: PricingTier[];
}
export interface Model {
  id: string; name?: string; provider: string; endpoint: string; upstreamModelId?: string;
  cost: ModelCost; contextWindow?: number; limits?: Limit[];
  capabilities?: Record<string, boolean> | string[]; timeout?: number; enabled: boolean;
  hasApiKey: boolean; createdAt: string; embedding?: boolean;
}

export interface ProjectModel { modelId: string; prompt?: string; limitsMode?: LimitsMode; limits?: Limit[] }
export interface Policy { type: string; enabled: boolean; config?: Record<string, unknown> }
export interface TokenInfo {
  id: string; name?: string; tokenSnippet: string; createdAt: string; labels: string[];
  models: ProjectModel[]; limits: Limit[]; limitsMode: LimitsMode;
}
export interface Member { userId: string; email?: string; role: 'viewer' | 'editor' | 'admin' }
export interface Project {
  id: string; name: string; slug: string; models: ProjectModel[]; policies: Policy[];
  budgets: Limit[]; timeoutMs?: number; members: Member[]; tokens: TokenInfo[]; createdAt: string;
  routingModelId?: string; autoRouting?: boolean; fallbackRoutingModelIds?: string[];
}

export interface TraceEntry { panel?: string; message?: string; details?: unknown; [k: string]: unknown }
export interface UsageRecord {
  id: string; timestamp: string; projectId?: string; projectSlug?: string; tokenId?: string;
  modelId?: string; provider?: string; callType?: string; type?: string; outcome: string;
  inputTokens: number; outputTokens: number; cachedInputTokens?: number; cacheCreationInputTokens?: number;
  cost: number; costInput?: number; costOutput?: number; latencyMs?: number; ttftMs?: number; stream?: boolean; traceId?: string; errorMessage?: string; estimated?: boolean;
  trace?: TraceEntry[]; [k: string]: unknown;
}
export interface UsageSummary {
  totalCost: number; totalCalls: number; successCalls?: number; errorCalls?: number;
  successRate?: number; avgLatencyMs?: number; totalInputTokens?: number; totalOutputTokens?: number;
  [k: string]: unknown;
}
export interface UsageBreakdown { calls: number; cost: number; errors?: number; inputTokens?: number; outputTokens?: number; [k: string]: unknown }
export interface UsageSeriesPoint { bucket: string; calls: number; errors: number; cost: number; inputTokens: number; outputTokens: number }
export interface UsageResponse {
  summary: UsageSummary;
  byModel: unknown; byProject: unknown; timeline: unknown;
  series?: UsageSeriesPoint[];
  records: UsageRecord[];
  pagination: { page: number; pageSize: number; totalRecords: number; totalPages: number };
}

export interface ProviderPreset {
  id: string; input: number; output: number; cache?: number; cacheWrite?: number;
  contextWindow?: number; embedding?: boolean; pricingTiers?: PricingTier[];
}
export interface ProviderInfo { id: string; endpoint: string; wire: 'openai' | 'anthropic'; models: ProviderPreset[] }

export type Settings = Record<string, unknown>;
export interface SystemInfo { version: string; [k: string]: unknown }
