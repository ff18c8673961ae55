/** Discovery sources: pure, streaming, resumable scans (see types.ts for the contract). */
export * from './types.js';
export * from './config.js';
export { mergeFinding, mergeFindings, FindingGroup, LIST_EVIDENCE_KEYS } from './findings.js';
export { redactSecret, redactText, redactArgs, credentialId } from './redact.js';
export { scanZeek, type ZeekInput, type ZeekLogType } from './sources/zeek.js';
export { scanSquid, type SquidInput } from './sources/squid.js';
export { compileSquidLogFormat, SquidLogFormatError, SQUID_BUILT_IN_FORMATS } from './sources/squid-logformat.js';
export { scanSuricata, type SuricataInput } from './sources/suricata.js';
export { scanOsquery, type OsqueryInput, type OsqueryFile, type OsqueryTable } from './sources/osquery.js';
export { scanMcpConfigs, type McpConfigInput } from './sources/mcp-configs.js';
export { scanVertex, type VertexInput, type VertexTarget } from './sources/vertex.js';
export { scanBedrock, type BedrockInput, type BedrockTarget } from './sources/bedrock.js';
export { scanAzureFoundry, type AzureFoundryInput, type AzureFoundryTarget } from './sources/azure-foundry.js';
export { CloudRequestError } from './sources/cloud.js';
export { mcpServerId, mcpUrlId, mcpFingerprint } from './sources/endpoint.js';
