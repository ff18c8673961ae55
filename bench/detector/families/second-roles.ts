/** The second family's archetypes: operations, procedures and rhythms (see second.ts). */
import type { Sensitivity } from '../../../risk/types.js';

export interface Op {
  sensitivity: Sensitivity;
  volume: number;
  /** Median money per request, when the operation moves money. */
  money?: number;
}
/** A procedure: steps in order; a step ending in '?' is skipped a third of the time. */
export interface Procedure {
  steps: string[];
  weight: number;
  /** Adopted gradually from this day (slow legitimate change). */
  adoptedFrom?: number;
}
export interface Role {
  platform: string;
  threadKey: boolean;
  ops: Record<string, Op>;
  procedures: Procedure[];
  /** Local hour → relative activity (diurnal curve), and Monday..Sunday factors (weekly rhythm). */
  hourly: (h: number) => number;
  weekly: readonly number[];
  sessionsPerHour: number;
  /** Sensitive step A, then never-seen X twice: MEDIUM and HIGH variants. */
  oddSteps: { MEDIUM: [string, string]; HIGH: [string, string] };
  stranger: { key: string; op: Op };
  burstOp: string;
  bulkOp: string;
  driftOp: string;
}

const bell = (h: number, peak: number, width: number) => Math.exp(-((h - peak) ** 2) / (2 * width * width));
export const ROLES: Record<string, Role> = {
  hr: {
    platform: 'azure-ai-foundry',
    threadKey: true,
    ops: {
      'hris:search_employees': { sensitivity: 'LOW', volume: 12 },
      'hris:read_employee': { sensitivity: 'MEDIUM', volume: 1 },
      'hris:update_employee': { sensitivity: 'MEDIUM', volume: 1 },
      'payroll:read_payslip': { sensitivity: 'MEDIUM', volume: 1 },
      'payroll:adjust_salary': { sensitivity: 'HIGH', volume: 1, money: 4200 },
      'ats:list_candidates': { sensitivity: 'LOW', volume: 25 },
      'ats:send_offer': { sensitivity: 'HIGH', volume: 1, money: 65000 },
    },
    procedures: [
      { steps: ['hris:search_employees', 'hris:read_employee', 'hris:update_employee'], weight: 5 },
      { steps: ['hris:search_employees', 'hris:read_employee?', 'payroll:read_payslip'], weight: 4 },
      { steps: ['hris:read_employee', 'payroll:read_payslip', 'payroll:adjust_salary'], weight: 1 },
      { steps: ['ats:list_candidates', 'hris:search_employees?', 'ats:send_offer'], weight: 1 },
      { steps: ['ats:list_candidates', 'hris:search_employees'], weight: 2, adoptedFrom: 12 },
    ],
    hourly: (h) => bell(h, 10.5, 1.8) + 0.8 * bell(h, 15, 1.6) + 0.003,
    weekly: [1.2, 1, 1, 1, 0.7, 0.05, 0.02],
    sessionsPerHour: 3,
    oddSteps: {
      MEDIUM: ['payroll:read_payslip', 'hris:update_employee'],
      HIGH: ['hris:update_employee', 'payroll:adjust_salary'],
    },
    stranger: { key: 'treasury:wire_funds', op: { sensitivity: 'HIGH', volume: 1, money: 9000 } },
    burstOp: 'hris:read_employee',
    bulkOp: 'hris:search_employees',
    driftOp: 'payroll:adjust_salary',
  },
  it_ops: {
    platform: 'bedrock',
    threadKey: false,
    ops: {
      'monitoring:read_alerts': { sensitivity: 'LOW', volume: 5 },
      'monitoring:query_metrics': { sensitivity: 'LOW', volume: 400 },
      'k8s:get_pods': { sensitivity: 'LOW', volume: 30 },
      'k8s:restart_deployment': { sensitivity: 'MEDIUM', volume: 1 },
      'k8s:scale_deployment': { sensitivity: 'MEDIUM', volume: 3 },
      'itsm:read_ticket': { sensitivity: 'LOW', volume: 1 },
      'itsm:close_ticket': { sensitivity: 'LOW', volume: 1 },
      'iam:reset_mfa': { sensitivity: 'HIGH', volume: 1 },
      'cloud:rotate_key': { sensitivity: 'HIGH', volume: 1 },
    },
    procedures: [
      {
        steps: ['monitoring:read_alerts', 'monitoring:query_metrics', 'k8s:get_pods', 'k8s:restart_deployment'],
        weight: 4,
      },
      { steps: ['monitoring:query_metrics', 'k8s:get_pods', 'k8s:scale_deployment'], weight: 3 },
      { steps: ['itsm:read_ticket', 'iam:reset_mfa', 'itsm:close_ticket'], weight: 2 },
      { steps: ['itsm:read_ticket', 'cloud:rotate_key', 'itsm:close_ticket'], weight: 1 },
      { steps: ['monitoring:read_alerts', 'itsm:read_ticket', 'itsm:close_ticket'], weight: 2, adoptedFrom: 15 },
    ],
    // On call around the clock: a day hump over a steady night floor.
    hourly: (h) => 0.25 + bell(h, 13, 3.5),
    weekly: [1, 1, 1, 1, 1, 0.6, 0.6],
    sessionsPerHour: 1.6,
    oddSteps: {
      MEDIUM: ['k8s:restart_deployment', 'k8s:scale_deployment'],
      HIGH: ['k8s:restart_deployment', 'iam:reset_mfa'],
    },
    stranger: { key: 'hris:export_employees', op: { sensitivity: 'HIGH', volume: 40 } },
    burstOp: 'k8s:get_pods',
    bulkOp: 'monitoring:query_metrics',
    driftOp: 'k8s:scale_deployment',
  },
  marketing: {
    platform: 'vertex-ai',
    threadKey: true,
    ops: {
      'cms:draft_post': { sensitivity: 'LOW', volume: 1 },
      'cms:publish_post': { sensitivity: 'MEDIUM', volume: 1 },
      'analytics:read_report': { sensitivity: 'LOW', volume: 60 },
      'crm:segment_contacts': { sensitivity: 'MEDIUM', volume: 800 },
      'email:send_campaign': { sensitivity: 'HIGH', volume: 3000 },
      'ads:set_budget': { sensitivity: 'HIGH', volume: 1, money: 1500 },
    },
    procedures: [
      { steps: ['cms:draft_post', 'cms:draft_post?', 'cms:publish_post'], weight: 4 },
      { steps: ['analytics:read_report', 'crm:segment_contacts', 'email:send_campaign'], weight: 2 },
      { steps: ['analytics:read_report', 'ads:set_budget'], weight: 2 },
      { steps: ['analytics:read_report', 'analytics:read_report?'], weight: 3 },
      { steps: ['cms:draft_post', 'analytics:read_report'], weight: 2, adoptedFrom: 10 },
    ],
    hourly: (h) => bell(h, 11, 2.2) + 0.9 * bell(h, 16, 2) + 0.004,
    // Campaigns go out on Tuesdays.
    weekly: [1, 1.5, 1, 1, 0.8, 0.1, 0.05],
    sessionsPerHour: 2.5,
    oddSteps: {
      MEDIUM: ['cms:publish_post', 'crm:segment_contacts'],
      HIGH: ['cms:publish_post', 'email:send_campaign'],
    },
    stranger: { key: 'vault:read_secret', op: { sensitivity: 'HIGH', volume: 1 } },
    burstOp: 'analytics:read_report',
    bulkOp: 'crm:segment_contacts',
    driftOp: 'email:send_campaign',
  },
  research: {
    platform: 'openai-assistants',
    threadKey: false,
    ops: {
      'papers:search': { sensitivity: 'LOW', volume: 20 },
      'papers:fetch': { sensitivity: 'LOW', volume: 1 },
      'notebook:load_data': { sensitivity: 'LOW', volume: 1 },
      'warehouse:run_query': { sensitivity: 'MEDIUM', volume: 5000 },
      'compute:submit_job': { sensitivity: 'MEDIUM', volume: 1, money: 40 },
      'warehouse:export_dataset': { sensitivity: 'HIGH', volume: 20000 },
    },
    procedures: [
      { steps: ['papers:search', 'papers:fetch', 'papers:fetch?'], weight: 5 },
      { steps: ['notebook:load_data', 'warehouse:run_query', 'warehouse:run_query?'], weight: 3 },
      { steps: ['notebook:load_data', 'compute:submit_job'], weight: 2 },
      { steps: ['warehouse:run_query', 'warehouse:export_dataset'], weight: 1 },
      { steps: ['papers:search', 'notebook:load_data'], weight: 2, adoptedFrom: 14 },
    ],
    // Late starters who also work weekends.
    hourly: (h) => bell(h, 14, 3) + 0.7 * bell(h, 21, 1.5) + 0.01,
    weekly: [1, 1, 1, 1, 0.9, 0.4, 0.3],
    sessionsPerHour: 1.8,
    oddSteps: {
      MEDIUM: ['warehouse:run_query', 'compute:submit_job'],
      HIGH: ['compute:submit_job', 'warehouse:export_dataset'],
    },
    stranger: { key: 'crm:export_customers', op: { sensitivity: 'HIGH', volume: 200 } },
    burstOp: 'papers:fetch',
    bulkOp: 'warehouse:run_query',
    driftOp: 'warehouse:run_query',
  },
};
export const SECOND_ARCHETYPES = Object.keys(ROLES);
