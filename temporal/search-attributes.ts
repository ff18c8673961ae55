/**
 * Warden's custom search attributes: the directory *is* Temporal visibility, so these are how agents
 * (and later actions) are listed and filtered — by the API and in the Temporal Web UI alike.
 * Safe to import from workflow code.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

export const AgentId = defineSearchAttributeKey('AgentId', SearchAttributeType.KEYWORD);
export const AgentName = defineSearchAttributeKey('AgentName', SearchAttributeType.KEYWORD);
export const AgentStatus = defineSearchAttributeKey('AgentStatus', SearchAttributeType.KEYWORD);
export const AgentOwner = defineSearchAttributeKey('AgentOwner', SearchAttributeType.KEYWORD);
export const AgentPlatform = defineSearchAttributeKey('AgentPlatform', SearchAttributeType.KEYWORD);
export const PersonRoles = defineSearchAttributeKey('PersonRoles', SearchAttributeType.KEYWORD_LIST);
export const ActionStatus = defineSearchAttributeKey('ActionStatus', SearchAttributeType.KEYWORD);
export const RiskScore = defineSearchAttributeKey('RiskScore', SearchAttributeType.INT);
export const ToolName = defineSearchAttributeKey('ToolName', SearchAttributeType.KEYWORD);
/** When discovery last saw the agent, and through which kinds of source (findings not dismissed). */
export const AgentLastSeen = defineSearchAttributeKey('AgentLastSeen', SearchAttributeType.DATETIME);
export const DiscoverySources = defineSearchAttributeKey('DiscoverySources', SearchAttributeType.KEYWORD_LIST);
/**
 * When the agent's access view (status, owner, keys, revocations, allowed tools) last changed, strictly
 * increasing per agent: API processes poll visibility for recent changes instead of re-reading every
 * active agent (the revocation feed, api/services/access-feed.ts).
 */
export const AgentAccessChangedAt = defineSearchAttributeKey('AgentAccessChangedAt', SearchAttributeType.DATETIME);
/** An action asked for by an MCP call: `<tool>:<MCP tool>:<argument hash>` (its retry finds it open). */
export const McpCall = defineSearchAttributeKey('McpCall', SearchAttributeType.KEYWORD);
/** A discovery sweep's state: RUNNING, COMPLETED. */
export const SweepStatus = defineSearchAttributeKey('SweepStatus', SearchAttributeType.KEYWORD);

/** Everything Warden registers on its namespace. */
export const WARDEN_SEARCH_ATTRIBUTES: SearchAttributeKey<SearchAttributeType>[] = [
  AgentId,
  AgentName,
  AgentStatus,
  AgentOwner,
  AgentPlatform,
  PersonRoles,
  ActionStatus,
  RiskScore,
  ToolName,
  AgentLastSeen,
  DiscoverySources,
  SweepStatus,
  AgentAccessChangedAt,
  McpCall,
];

/** The CLI's spelling of each type (`--search-attribute Name=Keyword`). */
export const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** temporal.api.enums.v1.IndexedValueType numbers, for the operator API. */
export const INDEXED_VALUE_TYPES: Record<SearchAttributeType, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};
