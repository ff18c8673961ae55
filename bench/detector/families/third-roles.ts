/**
 * The third family's archetypes (see third.ts): operations with their volume/amount distributions, branching
 * procedures written in a small step grammar, local rhythms, networks, clients and the tools an agent never uses.
 */
import type { TraceLine } from '../generate-traces.js';

export type Sensitivity = TraceLine['sensitivity'];

/**
 * An operation, keyed by its name (unique in an archetype): log-normal volume (median, sigma) and, when it moves
 * money, a log-normal amount.
 */
export interface OpSpec {
  tool: string;
  operation: string;
  sensitivity: Sensitivity;
  volume: [number, number];
  amount?: [number, number];
}

/**
 * One step of a procedure: an operation; `opt` is the probability the step is taken at all, `loop` repeats it
 * (min..max), `retry` is the chance it is sent again at once, `adopt` makes the step's probability the agent's
 * adoption level of a new tool. Written `operation?p*min-max!r+` (see `steps`).
 */
export interface Step {
  op: string;
  opt?: number;
  loop?: [number, number];
  retry?: number;
  adopt?: boolean;
}

/** `a b?0.5 c*1-3!0.1 d+`: a; b half the time; c 1–3 times, each retried at once 10 % of the time; d adopted. */
const steps = (text: string): Step[] =>
  text.split(/\s+/).map((token) => {
    const m = /^(\w+)(?:\?([\d.]+))?(?:\*(\d+)-(\d+))?(?:!([\d.]+))?(\+)?$/.exec(token);
    if (!m) throw new Error(`third-roles: bad step "${token}"`);
    const [, op, opt, lo, hi, retry, adopt] = m;
    return {
      op: op!,
      ...(opt ? { opt: Number(opt) } : {}),
      ...(lo ? { loop: [Number(lo), Number(hi)] as [number, number] } : {}),
      ...(retry ? { retry: Number(retry) } : {}),
      ...(adopt ? { adopt: true } : {}),
    };
  });

export interface Procedure {
  name: string;
  weight: number;
  /** Weight multiplier in the last three days of a month (sales). */
  surgeWeight?: number;
  steps: Step[];
}

/** Fixed UTC offsets in minutes with the 2025 daylight-saving switch as a day index from Monday 2025-03-03. */
export const ZONES: Record<string, { before: number; after: number; switchDay: number }> = {
  'us-east': { before: -300, after: -240, switchDay: 6 },
  'us-central': { before: -360, after: -300, switchDay: 6 },
  'us-mountain': { before: -420, after: -360, switchDay: 6 },
  'us-pacific': { before: -480, after: -420, switchDay: 6 },
  london: { before: 0, after: 60, switchDay: 27 },
  berlin: { before: 60, after: 120, switchDay: 27 },
  utc: { before: 0, after: 0, switchDay: 0 },
  kolkata: { before: 330, after: 330, switchDay: 0 },
  sydney: { before: 660, after: 600, switchDay: 34 },
};

export interface ArchetypeSpec {
  name: string;
  prefix: string;
  platforms: string[];
  zones: string[];
  domain: string;
  resources: Record<string, string>;
  ops: Record<string, OpSpec>;
  procedures: Procedure[];
  /** A threadless nightly batch (data engineering), started between 02:00 and 02:30 local time. */
  batch?: Procedure;
  /** LOW look-ups an agent sometimes slips between two steps of any procedure. */
  offProcedure: string[];
  /** Local hour → session weight on a weekday; weekday factors Monday..Sunday. */
  hours: Record<number, number>;
  weekdays: number[];
  /** Sessions per hour at weight 1. */
  peak: number;
  /** Median seconds between two steps. */
  gap: number;
  people: [number, number];
  /** 'single': one session at a time; 'interleave': several people's sessions overlap. */
  tasking: 'single' | 'interleave';
  /** A local hour at which the archetype never works. */
  quietHour: number;
  driftOps: Array<[string, 'volume' | 'amount']>;
  foreign: OpSpec[];
  userAgent: (platform: string) => string;
}

const op = (
  tool: string,
  operation: string,
  sensitivity: Sensitivity,
  volume: [number, number],
  amount?: [number, number],
): [string, OpSpec] => [operation, { tool, operation, sensitivity, volume, amount }];
const proc = (name: string, weight: number, text: string, surgeWeight?: number): Procedure => ({
  name,
  weight,
  steps: steps(text),
  ...(surgeWeight ? { surgeWeight } : {}),
});
const ops = (...list: Array<[string, OpSpec]>): Record<string, OpSpec> => Object.fromEntries(list);

const legal: ArchetypeSpec = {
  name: 'legal',
  prefix: 'legal',
  platforms: ['azure-ai-foundry'],
  zones: ['us-east', 'london', 'sydney', 'us-central'],
  domain: 'lexington-llp.example',
  resources: {
    clm: 'https://clm.lexington-llp.example/api/v2/',
    esign: 'https://na3.esign.example.net/restapi/v2.1/',
    matters: 'https://matters.lexington-llp.example/odata/',
    docvault: 'https://dms.lexington-llp.example/work/api/',
    clause_library: 'https://clauses.lexington-llp.example/v1/',
  },
  ops: ops(
    op('clm', 'search_contracts', 'LOW', [12, 0.6]),
    op('clm', 'read_contract', 'LOW', [1, 0]),
    op('clm', 'redline_clause', 'MEDIUM', [2, 0.4]),
    op('clm', 'approve_contract', 'HIGH', [1, 0]),
    op('esign', 'prepare_envelope', 'MEDIUM', [2, 0.35]),
    op('esign', 'send_envelope', 'HIGH', [2, 0.35]),
    op('esign', 'void_envelope', 'HIGH', [1, 0]),
    op('matters', 'lookup_matter', 'LOW', [1, 0]),
    op('matters', 'log_time', 'MEDIUM', [1, 0], [420, 0.5]),
    op('matters', 'update_matter', 'MEDIUM', [1, 0.2]),
    op('docvault', 'fetch_document', 'LOW', [3, 0.5]),
    op('docvault', 'share_external', 'HIGH', [2, 0.4]),
    op('clause_library', 'suggest_clause', 'LOW', [4, 0.4]),
  ),
  procedures: [
    proc(
      'review',
      5,
      'search_contracts!0.05 read_contract*1-3 suggest_clause+ redline_clause?0.7*1-3!0.08 lookup_matter log_time',
    ),
    proc('execute', 2, 'lookup_matter read_contract approve_contract prepare_envelope!0.15 send_envelope log_time?0.6'),
    proc('matter_admin', 2, 'lookup_matter update_matter*1-2 fetch_document?0.5 log_time?0.5'),
    proc('share', 1, 'lookup_matter fetch_document*1-2 share_external'),
    proc('amend', 0.6, 'read_contract void_envelope redline_clause*1-2 prepare_envelope send_envelope'),
  ],
  offProcedure: ['lookup_matter'],
  hours: { 8: 0.4, 9: 1, 10: 1, 11: 0.9, 12: 0.5, 13: 0.8, 14: 1, 15: 1, 16: 0.9, 17: 0.6, 18: 0.3, 19: 0.1, 20: 0.05 },
  weekdays: [1, 1, 1, 1, 0.85, 0.04, 0.02],
  peak: 2.6,
  gap: 50,
  people: [3, 5],
  tasking: 'single',
  quietHour: 2,
  driftOps: [
    ['search_contracts', 'volume'],
    ['log_time', 'amount'],
  ],
  foreign: [
    op('mailbox', 'create_forwarding_rule', 'HIGH', [1, 0])[1],
    op('ap_payments', 'release_payment', 'CRITICAL', [1, 0], [48_000, 0.4])[1],
  ],
  userAgent: () => 'azure-ai-projects/1.0.0b5 Python/3.11.9 (Linux-5.15-x86_64)',
};

const salesOps: ArchetypeSpec = {
  name: 'sales_ops',
  prefix: 'sales-ops',
  platforms: ['openai-assistants'],
  zones: ['us-central', 'us-pacific', 'london', 'berlin'],
  domain: 'northwind-sales.example',
  resources: {
    crm: 'https://northwind.crm.example.com/services/data/v61.0/',
    cpq: 'https://cpq.northwind-sales.example/api/',
    billing: 'https://billing.northwind-sales.example/v3/',
    forecast: 'https://forecast.northwind-sales.example/api/',
  },
  ops: ops(
    op('crm', 'list_opportunities', 'LOW', [40, 0.5]),
    op('crm', 'read_account', 'LOW', [1, 0]),
    op('crm', 'update_stage', 'MEDIUM', [1, 0]),
    op('crm', 'log_activity', 'LOW', [1, 0]),
    op('cpq', 'build_quote', 'MEDIUM', [6, 0.5], [18_000, 0.8]),
    op('cpq', 'apply_discount', 'HIGH', [1, 0], [1_800, 0.7]),
    op('cpq', 'approve_quote', 'HIGH', [1, 0], [17_500, 0.8]),
    op('billing', 'create_invoice', 'HIGH', [1, 0], [16_000, 0.8]),
    op('forecast', 'refresh_forecast', 'LOW', [120, 0.3]),
    op('forecast', 'export_pipeline', 'MEDIUM', [350, 0.35]),
  ),
  procedures: [
    proc('pipeline_review', 4, 'list_opportunities read_account*1-4 update_stage?0.6 log_activity?0.4'),
    proc('quote', 3, 'read_account build_quote!0.2 apply_discount?0.45 approve_quote log_activity?0.3', 1.5),
    proc('close', 1.5, 'read_account update_stage create_invoice!0.1', 2),
    proc('forecast', 1, 'refresh_forecast list_opportunities export_pipeline'),
  ],
  offProcedure: ['read_account'],
  hours: { 7: 0.2, 8: 0.6, 9: 1, 10: 1, 11: 1, 12: 0.5, 13: 0.9, 14: 1, 15: 1, 16: 0.8, 17: 0.4, 18: 0.15 },
  weekdays: [1, 1, 1, 1, 0.8, 0.05, 0.02],
  peak: 3.2,
  gap: 25,
  people: [6, 10],
  tasking: 'interleave',
  quietHour: 3,
  driftOps: [
    ['export_pipeline', 'volume'],
    ['build_quote', 'amount'],
  ],
  foreign: [
    op('sso_admin', 'add_group_member', 'CRITICAL', [1, 0])[1],
    op('partner_portal', 'export_price_book', 'HIGH', [1, 0])[1],
  ],
  userAgent: () => 'OpenAI/Python 1.54.4',
};

const dataEng: ArchetypeSpec = {
  name: 'data_eng',
  prefix: 'data-eng',
  platforms: ['langgraph', 'vertex-ai'],
  zones: ['utc', 'kolkata', 'berlin', 'utc'],
  domain: 'quanta-data.example',
  resources: {
    warehouse: 'https://warehouse.quanta-data.example/api/2.1/',
    orchestrator: 'https://airflow.quanta-data.example/api/v1/',
    catalog: 'https://catalog.quanta-data.example/graphql',
    quality: 'https://dq.quanta-data.example/api/',
  },
  ops: ops(
    op('warehouse', 'run_query', 'LOW', [25_000, 1]),
    op('warehouse', 'describe_table', 'LOW', [1, 0]),
    op('warehouse', 'alter_table', 'HIGH', [1, 0]),
    op('warehouse', 'drop_partition', 'HIGH', [1, 0.3]),
    op('warehouse', 'read_partition_stats', 'LOW', [1, 0]),
    op('warehouse', 'merge_staging', 'MEDIUM', [120_000, 0.5]),
    op('orchestrator', 'get_run_status', 'LOW', [1, 0]),
    op('orchestrator', 'trigger_run', 'MEDIUM', [1, 0]),
    op('orchestrator', 'backfill', 'MEDIUM', [14, 0.5]),
    op('catalog', 'read_lineage', 'LOW', [8, 0.5]),
    op('catalog', 'update_schema_doc', 'MEDIUM', [1, 0]),
    op('quality', 'check_freshness', 'LOW', [1, 0]),
  ),
  procedures: [
    proc('investigate', 4, 'read_lineage describe_table?0.6 run_query*1-5!0.15'),
    proc('rerun', 1.5, 'get_run_status*1-2 trigger_run get_run_status*1-3'),
    proc('poll', 1.5, 'get_run_status*1-3'),
    proc('schema_change', 1, 'describe_table run_query alter_table update_schema_doc?0.7 trigger_run?0.5'),
    proc('backfill', 1, 'get_run_status backfill!0.1 get_run_status*1-4'),
    proc('cleanup', 0.5, 'describe_table drop_partition*1-3 run_query'),
  ],
  batch: proc('nightly', 1, 'read_partition_stats*100-220 merge_staging*3-8 check_freshness*30-70'),
  offProcedure: ['describe_table'],
  hours: { 9: 0.6, 10: 1, 11: 1, 12: 0.5, 13: 0.8, 14: 1, 15: 1, 16: 0.8, 17: 0.4, 18: 0.1 },
  weekdays: [1, 1, 1, 1, 0.9, 0.1, 0.05],
  peak: 1.6,
  gap: 30,
  people: [3, 4],
  tasking: 'single',
  quietHour: 22,
  driftOps: [
    ['run_query', 'volume'],
    ['read_lineage', 'volume'],
  ],
  foreign: [
    op('cloud_iam', 'create_service_account_key', 'CRITICAL', [1, 0])[1],
    op('bucket_policy', 'set_public_access', 'HIGH', [1, 0])[1],
  ],
  userAgent: (platform) =>
    platform === 'langgraph' ? 'langgraph-sdk-py/0.1.36' : 'google-cloud-aiplatform/1.71.1 python/3.11.10',
};

const clinic: ArchetypeSpec = {
  name: 'clinic_scheduling',
  prefix: 'clinic',
  platforms: ['bedrock'],
  zones: ['us-east', 'us-mountain', 'us-central', 'kolkata'],
  domain: 'riverside-health.example',
  resources: {
    ehr: 'https://fhir.riverside-health.example/r4/',
    scheduler: 'https://scheduling.riverside-health.example/api/',
    claims: 'https://claims.riverside-health.example/x12/',
    pos: 'https://pay.riverside-health.example/v1/',
  },
  ops: ops(
    op('ehr', 'lookup_patient', 'LOW', [1, 0]),
    op('ehr', 'read_chart', 'MEDIUM', [1, 0]),
    op('ehr', 'update_demographics', 'MEDIUM', [1, 0]),
    op('scheduler', 'find_slots', 'LOW', [12, 0.5]),
    op('scheduler', 'book_appointment', 'MEDIUM', [1, 0]),
    op('scheduler', 'cancel_appointment', 'MEDIUM', [1, 0]),
    op('scheduler', 'send_reminders', 'LOW', [40, 0.35]),
    op('claims', 'check_eligibility', 'LOW', [1, 0]),
    op('claims', 'submit_claim', 'HIGH', [1, 0], [240, 0.7]),
    op('claims', 'adjust_claim', 'HIGH', [1, 0], [90, 0.6]),
    op('pos', 'collect_copay', 'MEDIUM', [1, 0], [35, 0.4]),
  ),
  procedures: [
    proc('booking', 5, 'lookup_patient check_eligibility?0.6!0.1 find_slots*1-3 book_appointment collect_copay?0.5'),
    proc('reschedule', 2, 'lookup_patient cancel_appointment find_slots*1-2 book_appointment'),
    proc('claim', 2, 'lookup_patient read_chart check_eligibility submit_claim!0.12'),
    proc('claim_fix', 1, 'lookup_patient read_chart adjust_claim'),
    proc('intake', 1.5, 'lookup_patient update_demographics check_eligibility?0.5'),
    // Sent once at the start of each shift by the shift lead (scheduled in third.ts, weight 0 here).
    proc('reminders', 0, 'send_reminders'),
  ],
  offProcedure: ['lookup_patient'],
  hours: { 7: 0.7, 8: 1, 9: 1, 10: 1, 11: 1, 12: 0.9, 13: 0.9, 14: 1, 15: 1, 16: 1, 17: 0.9, 18: 0.6 },
  weekdays: [1, 1, 1, 1, 1, 0.5, 0],
  peak: 4.5,
  gap: 35,
  people: [6, 8],
  tasking: 'interleave',
  quietHour: 1,
  driftOps: [
    ['submit_claim', 'amount'],
    ['find_slots', 'volume'],
  ],
  foreign: [
    op('ehr_admin', 'export_patient_panel', 'HIGH', [2, 0.3])[1],
    op('payer_portal', 'change_remittance_account', 'CRITICAL', [1, 0])[1],
  ],
  userAgent: () => 'Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10 lang/python#3.12.6',
};

export const THIRD_ARCHETYPES: ArchetypeSpec[] = [legal, salesOps, dataEng, clinic];

/** The clinic agents' one client upgrade (staggered from day 16). */
export const CLINIC_UPGRADED_UA = 'Boto3/1.36.4 md/Botocore#1.36.4 ua/2.0 os/linux#5.10 lang/python#3.12.8';

export const FIRST_NAMES = [
  'amara', 'bastien', 'chioma', 'dmitri', 'elena', 'farid', 'greta', 'hiroshi', 'ines', 'jonas', 'kavya', 'lorenzo',
  'maeve', 'nikhil', 'oksana', 'pablo', 'quinn', 'rosa', 'sanjay', 'tove', 'uma', 'viktor', 'wanjiru', 'yusuf',
]; // prettier-ignore
export const LAST_NAMES = [
  'adeyemi', 'brandt', 'castillo', 'dubois', 'eriksen', 'fontaine', 'gallagher', 'haddad', 'iyer', 'janssen',
  'kowalski', 'lindqvist', 'moreau', 'nakamura', 'okafor', 'petrov', 'quintero', 'rahman', 'silva', 'tanaka',
]; // prettier-ignore
