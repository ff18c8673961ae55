/**
 * The newsroom desk of the seventh trace family (bench/detector/families/seventh.ts): the Harbor Daily's wire
 * ingestion, drafts, publishing, takedowns and embargoes. Peaks: three breaking-news spikes (days 8, 22 and 33, a
 * few hours each, the wire ×3–5 and the desk and publisher busier). Slow change: a fact-checking service adopted
 * gradually by the desk editors, a new editor from day 19, a CMS-client upgrade of the publisher.
 */
import type { Desk } from './seventh-model.js';

const harbor = (host: string, path = '/') => `https://${host}.harbor-daily.example${path}`;

export const NEWSROOM: Desk = {
  archetype: 'media_newsroom',
  tools: {
    wire: harbor('wire', '/ingest/'),
    cms: harbor('cms', '/api/'),
    dam: harbor('dam'),
    legaldesk: harbor('legal', '/requests/'),
    social: harbor('social'),
    factcheck: harbor('factcheck', '/v1/'),
    analytics: harbor('analytics'),
  },
  ops: {
    poll_wire: { tool: 'wire', sens: 'LOW', vol: 24 },
    fetch_item: { tool: 'wire', sens: 'LOW', vol: 1 },
    tag_item: { tool: 'wire', sens: 'LOW', vol: 1 },
    route_to_desk: { tool: 'wire', sens: 'MEDIUM', vol: 1 },
    publish_alert: { tool: 'cms', sens: 'HIGH', vol: 1 },
    list_queue: { tool: 'cms', sens: 'LOW', vol: 12 },
    get_article: { tool: 'cms', sens: 'LOW', vol: 1 },
    create_draft: { tool: 'cms', sens: 'MEDIUM', vol: 1 },
    update_draft: { tool: 'cms', sens: 'LOW', vol: 1 },
    schedule_publish: { tool: 'cms', sens: 'MEDIUM', vol: 1 },
    publish_article: { tool: 'cms', sens: 'HIGH', vol: 1 },
    set_embargo: { tool: 'cms', sens: 'MEDIUM', vol: 1 },
    lift_embargo: { tool: 'cms', sens: 'HIGH', vol: 1 },
    unpublish_article: { tool: 'cms', sens: 'HIGH', vol: 1 },
    issue_correction: { tool: 'cms', sens: 'MEDIUM', vol: 1 },
    search_images: { tool: 'dam', sens: 'LOW', vol: 20 },
    attach_image: { tool: 'dam', sens: 'LOW', vol: 1 },
    license_image: { tool: 'dam', sens: 'MEDIUM', vol: 1, amt: 150 },
    open_takedown_request: { tool: 'legaldesk', sens: 'MEDIUM', vol: 1 },
    review_takedown: { tool: 'legaldesk', sens: 'MEDIUM', vol: 1 },
    approve_takedown: { tool: 'legaldesk', sens: 'HIGH', vol: 1 },
    post_social: { tool: 'social', sens: 'MEDIUM', vol: 1 },
    check_claims: { tool: 'factcheck', sens: 'LOW', vol: 3 },
    read_traffic: { tool: 'analytics', sens: 'LOW', vol: 30 },
  },
  procs: {
    wire_cycle: [
      'poll_wire',
      {
        loop: [0, 2],
        body: ['fetch_item', 'tag_item', { opt: 0.4, then: ['route_to_desk', { opt: 0.04, then: ['publish_alert'] }] }],
      },
    ],
    breaking: ['fetch_item', 'tag_item', 'route_to_desk', { opt: 0.25, then: ['publish_alert'] }],
    story: [
      'list_queue',
      'create_draft',
      { loop: [1, 4], body: ['update_draft'] },
      { opt: 0.5, then: ['search_images', 'attach_image', { opt: 0.2, then: ['license_image'] }] },
      { adopted: ['check_claims'] },
      {
        pick: [
          [0.6, ['schedule_publish']],
          [0.4, ['publish_article', { opt: 0.5, then: ['post_social'] }]],
        ],
      },
    ],
    embargoed: ['create_draft', 'update_draft', 'set_embargo'],
    correction: ['get_article', 'issue_correction', { opt: 0.3, then: ['post_social'] }],
    takedown: [
      'open_takedown_request',
      'get_article',
      'review_takedown',
      {
        pick: [
          [0.35, ['approve_takedown', 'unpublish_article']],
          [0.45, ['issue_correction']],
          [0.2, []],
        ],
      },
    ],
    standards_check: ['get_article', 'read_traffic'],
    publish_run: [
      'list_queue',
      {
        loop: [0, 3],
        body: [
          'get_article',
          {
            pick: [
              [0.55, ['publish_article']],
              [0.25, ['lift_embargo', 'publish_article']],
              [0.2, ['schedule_publish']],
            ],
          },
        ],
      },
      { opt: 0.3, then: ['post_social'] },
    ],
    traffic_report: ['read_traffic'],
  },
  foreign: [
    { tool: 'subscribers', uri: harbor('subs', '/crm/'), op: 'export_subscribers', sens: 'CRITICAL', vol: 60 },
    {
      tool: 'adsales',
      uri: harbor('ads', '/billing/'),
      op: 'adjust_campaign_billing',
      sens: 'HIGH',
      vol: 1,
      amt: 9000,
    },
    { tool: 'paywall', uri: harbor('paywall'), op: 'grant_free_access', sens: 'HIGH', vol: 5 },
    { tool: 'archive', uri: harbor('archive', '/vault/'), op: 'purge_archive', sens: 'CRITICAL', vol: 12 },
  ],
  seats: [
    {
      name: 'news-1',
      role: 'wire-ingestion bot: polls the agencies every 8 minutes, tags and routes items, pushes alerts',
      platform: 'on-prem-kubernetes',
      zone: 'new_york',
      hours: [0, 24],
      curve: 'flat',
      weekend: 1,
      rate: 0,
      procs: [[1, 'breaking']],
      pace: 3,
      networks: [{ from: 0, cidr: '10.12.30.0/24' }],
      clients: [{ from: 0, ua: 'harbor-wire-ingest/5.0.2' }],
      cron: [{ every: 8, proc: 'wire_cycle' }],
      peaks: [
        { days: [8], extra: 140, window: [13, 17] },
        { days: [22], extra: 180, window: [2, 6] },
        { days: [33], extra: 120, window: [9, 12] },
      ],
      drift: 'poll_wire',
    },
    {
      name: 'news-2',
      role: 'desk-editor assistant for four editors, interleaved: drafts, images, publishing, corrections',
      platform: 'vertex-ai',
      zone: 'new_york',
      hours: [7, 21],
      curve: 'office',
      weekend: 0.4,
      rate: 38,
      procs: [
        [0.6, 'story'],
        [0.15, 'embargoed'],
        [0.25, 'correction'],
      ],
      people: [
        { email: 'rachel.moss@harbor-daily.example' },
        { email: 'tomas.reyes@harbor-daily.example' },
        { email: 'ifeoma.nwosu@harbor-daily.example' },
        { email: 'grant.whitaker@harbor-daily.example' },
        { email: 'sofia.lindqvist@harbor-daily.example', from: 19 },
      ],
      interleave: true,
      pace: 50,
      networks: [{ from: 0, cidr: '10.12.4.0/23' }],
      clients: [{ from: 0, ua: 'harbor-desk-assistant/2.6.0' }],
      peaks: [
        { days: [8], extra: 20, window: [13, 19] },
        { days: [22], extra: 14, window: [7, 12] },
        { days: [33], extra: 18, window: [9, 15] },
      ],
      adopt: { from: 14, over: 10 },
      drift: 'search_images',
    },
    {
      name: 'news-3',
      role: "the standards editor's quiet assistant: takedown requests, corrections",
      platform: 'copilot-studio',
      zone: 'london',
      hours: [9, 18],
      curve: 'office',
      weekend: 0,
      rate: 6,
      procs: [
        [0.6, 'takedown'],
        [0.4, 'standards_check'],
      ],
      people: [{ email: 'nadia.hussain@harbor-daily.example' }],
      pace: 80,
      networks: [{ from: 0, cidr: '192.168.44.0/24' }],
      clients: [{ from: 0, ua: 'copilot-studio-agent/1.14' }],
    },
    {
      name: 'news-4',
      role: 'publishing scheduler bot: releases the queue every 20 minutes, lifts embargoes; hourly traffic read',
      platform: 'azure-openai',
      zone: 'new_york',
      hours: [0, 24],
      curve: 'flat',
      weekend: 1,
      rate: 0,
      procs: [[1, 'publish_run']],
      pace: 5,
      networks: [{ from: 0, cidr: '10.12.31.0/24' }],
      clients: [
        { from: 0, ua: 'harbor-publisher/3.1.4' },
        { from: 16, ua: 'harbor-publisher/3.2.0' },
      ],
      cron: [
        { every: 20, proc: 'publish_run' },
        { every: 60, proc: 'traffic_report' },
      ],
      peaks: [
        { days: [8], extra: 16, window: [13, 18] },
        { days: [22], extra: 16, window: [2, 7] },
        { days: [33], extra: 12, window: [9, 13] },
      ],
    },
  ],
};
