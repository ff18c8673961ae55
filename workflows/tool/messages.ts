/**
 * What a tool's workflow (`tool:<name>`) takes and answers: its start input, registration, the vaulted
 * secret's rotation, and — for MCP tools — the upstream's tool definitions it pins and quarantines.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Notification } from '../../domain/notifications.js';
import type { McpToolDefinition, QuarantinedDefinition, ToolOperation, ToolState } from '../../domain/tools.js';
import type { Signed, TrustAnchor } from '../../tokens/statements.js';
import type { RememberedStatement } from '../trust.js';

export interface ToolWorkflowArgs {
  name: string;
  tool: ToolState | null;
  /** Warden's issuer and signing keys: what statements are verified against. */
  trust: TrustAnchor;
  /** Carried across continue-as-new. */
  usedStatements?: RememberedStatement[];
  outbox?: Notification[];
}

export interface RegisterToolRequest {
  tool: ToolState;
}

/** The definitions an upstream's `tools/list` showed, hashed by the API (canonical JSON, SHA-256). */
export interface DefinitionsSeen {
  seen: { name: string; sha256: string; definition: McpToolDefinition }[];
}

export interface DefinitionsReport {
  /** Definitions quarantined by this report (not those quarantined before). */
  quarantined: QuarantinedDefinition[];
  tool: ToolState;
}

/** An admin trusts a quarantined definition: it is pinned, and its tool becomes an operation (or stays one). */
export interface AcceptDefinitionRequest {
  name: string;
  sha256: string;
  /** The operation the MCP tool maps to (sensitivity, pointers); the API fills in defaults. */
  operation: ToolOperation;
}

export const registerToolUpdate = defineUpdate<ToolState, [Signed<RegisterToolRequest>]>('registerTool');
export const rotateToolSecretUpdate = defineUpdate<ToolState, [Signed<Record<string, never>>]>('rotateToolSecret');
/** A fact only Warden's API reports: what the upstream's `tools/list` showed. */
export const reportToolDefinitionsUpdate = defineUpdate<DefinitionsReport, [DefinitionsSeen]>('reportToolDefinitions');
export const acceptToolDefinitionUpdate = defineUpdate<ToolState, [Signed<AcceptDefinitionRequest>]>(
  'acceptToolDefinition',
);
export const getToolQuery = defineQuery<ToolState | null>('getTool');
