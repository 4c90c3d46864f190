/**
 * deploy/prometheus/alerts.yml and deploy/grafana/taan-dashboard.json against what the server really exports.
 * The real server (dist/, from test/global-setup.ts) runs one small training job and one Predict; /metrics is then
 * scraped, and every metric name, label and label value that an alert rule or a dashboard query uses must be there.
 * Rule files are checked as Prometheus reads them (structure, PromQL through Prometheus' own grammar, and, where
 * installed, promtool check rules + the rule unit tests in alerts.test.yml); the dashboard against @grafana/schema.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { JOB_STATES } from '../../src/domain/job.js';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { PredictResponse__Output } from '../../src/grpc/generated/taan/v1/PredictResponse.js';
import { SERVICE_NAME, loadTaanProto } from '../../src/grpc/proto.js';
import { smallTrainRequest, waitForState } from '../helpers/jobs.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';
import { labelIndex, parseExposition, type Sample } from './helpers/exposition.js';
import { ALERTS, ALERT_TESTS, DASHBOARD } from './helpers/paths.js';
import { promtool } from './helpers/promtool.js';
import { parsePromQL, regexAlternatives, substituteGrafanaVariables, type ParsedExpr } from './helpers/promql.js';
import { TypeShapes } from './helpers/ts-shapes.js';
import { isRecord, loadYaml } from './helpers/yaml-docs.js';
import { API_METRIC_NAMES } from '../helpers/api-metrics.js';

/** Series the rules read that the service does not export, each with who does. Nothing else may be missing. */
const EXTERNAL: Record<string, string> = {
  up: 'Prometheus, one per scrape target',
  kube_deployment_status_replicas_available: 'kube-state-metrics (Deployment readiness = gRPC health SERVING)',
};
/** Labels Prometheus attaches to every scraped series (job, instance; prometheus-operator adds the rest). */
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod', 'service', 'container', 'endpoint']);

/** Values a label can take, from the service's own definitions, for labels whose values are a closed set. */
function labelDomains(): Record<string, Set<string>> {
  const service = loadTaanProto().packageDefinition[SERVICE_NAME] as Record<string, unknown>;
  return {
    grpc_service: new Set([SERVICE_NAME]),
    grpc_method: new Set(Object.keys(service)),
    grpc_type: new Set(['unary', 'server_stream', 'client_stream', 'bidi_stream']),
    grpc_code: new Set(Object.keys(grpc.status).filter((k) => Number.isNaN(Number(k)))),
    state: new Set(JOB_STATES),
  };
}

interface Query {
  where: string;
  expr: string;
  parsed: ParsedExpr;
  legend?: string;
}

// ---- alert rules -------------------------------------------------------------------------------------------------

const RULE_KEYS = new Set(['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function ruleFileProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(doc) || !Array.isArray(doc['groups'])) return ['top level: needs `groups:` (a list)'];
  if (Object.keys(doc).some((k) => k !== 'groups')) problems.push('top level: only `groups` is allowed');
  const groupNames = new Set<string>();
  const alertNames = new Set<string>();
  for (const [gi, g] of doc['groups'].entries()) {
    if (!isRecord(g) || typeof g['name'] !== 'string' || g['name'] === '') {
      problems.push(`groups[${gi}]: needs a name`);
      continue;
    }
    if (groupNames.has(g['name'])) problems.push(`group ${g['name']}: name repeated`);
    groupNames.add(g['name']);
    for (const k of Object.keys(g)) if (!['name', 'interval', 'limit', 'rules'].includes(k)) problems.push(`group ${g['name']}: unknown key ${k}`);
    if (!Array.isArray(g['rules']) || g['rules'].length === 0) problems.push(`group ${g['name']}: needs rules`);
    for (const [ri, r] of ((g['rules'] as unknown[]) ?? []).entries()) {
      const where = `group ${g['name']} rule ${ri}`;
      if (!isRecord(r)) {
        problems.push(`${where}: not a mapping`);
        continue;
      }
      for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) problems.push(`${where}: unknown key ${k}`);
      if (typeof r['alert'] !== 'string' || !/^[A-Z][A-Za-z0-9]+$/.test(r['alert'])) problems.push(`${where}: alert must be a CamelCase name`);
      else if (alertNames.has(r['alert'])) problems.push(`${where}: alert ${r['alert']} repeated`);
      else alertNames.add(r['alert']);
      if (typeof r['expr'] !== 'string' || r['expr'].trim() === '') problems.push(`${where}: expr must be a PromQL string`);
      if (r['for'] !== undefined && (typeof r['for'] !== 'string' || !DURATION.test(r['for']))) problems.push(`${where}: for must be a duration`);
      const labels = r['labels'];
      if (!isRecord(labels) || !['warning', 'critical'].includes(String(labels['severity']))) problems.push(`${where}: labels.severity must be warning or critical`);
      else for (const [k, v] of Object.entries(labels)) if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) || typeof v !== 'string') problems.push(`${where}: label ${k}`);
      const ann = r['annotations'];
      if (!isRecord(ann) || typeof ann['summary'] !== 'string' || typeof ann['description'] !== 'string') problems.push(`${where}: annotations need summary and description`);
      else for (const [k, v] of Object.entries(ann)) if (typeof v !== 'string' || (v.match(/\{\{/g) ?? []).length !== (v.match(/\}\}/g) ?? []).length) problems.push(`${where}: annotation ${k} template braces`);
    }
  }
  return problems;
}

function alertRules(): Array<{ alert: string; expr: string }> {
  const doc = loadYaml(ALERTS) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  return doc.groups.flatMap((g) => g.rules);
}

function alertQueries(): Query[] {
  return alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr, parsed: parsePromQL(r.expr) }));
}

// ---- dashboard --------------------------------------------------------------------------------------------------

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Array<{ expr: string; legendFormat?: string; refId: string; datasource?: { uid?: string } }>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: { custom?: Record<string, unknown> } };
  panels?: Panel[];
}
interface DashboardJson {
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as DashboardJson;
const allPanels = (): Panel[] => dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

function dashboardQueries(): Query[] {
  return allPanels().flatMap((p) =>
    (p.targets ?? []).map((t) => {
      const expr = substituteGrafanaVariables(t.expr);
      return { where: `panel "${p.title}" ${t.refId}`, expr, parsed: parsePromQL(expr), ...(t.legendFormat !== undefined ? { legend: t.legendFormat } : {}) };
    }),
  );
}

// ---- the live server ----------------------------------------------------------------------------------------------

let server: ServerProcess;
let samples: Sample[];
let index: Map<string, Map<string, Set<string>>>;

beforeAll(async () => {
  server = await startServer();
  const client = server.client();
  const queued = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('deploy-metrics'));
  const job = await waitForState(client, queued.job_id, ['SUCCEEDED', 'FAILED', 'CANCELLED']);
  expect(job.state).toBe('SUCCEEDED');
  const features = Array.from({ length: 16 }, (_, j) => Math.cos(j));
  const res = await call<PredictResponse__Output>(client, 'Predict', { model: { name: 'deploy-metrics' }, examples: [{ id: 'a', features }], top_k: 3 });
  expect(res.results).toHaveLength(1);
  samples = parseExposition(await (await fetch(server.metricsUrl)).text());
  index = labelIndex(samples);
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

/** Problems of one query against the scrape: unknown metrics, labels, values, groupings and legend labels. */
function consistencyProblems(q: Query, domains: Record<string, Set<string>>): string[] {
  const problems = q.parsed.errors.map((e) => `${q.where}: ${e}`);
  for (const s of q.parsed.selectors) {
    if (EXTERNAL[s.metric]) continue;
    const labels = index.get(s.metric);
    if (!labels) {
      problems.push(`${q.where}: ${s.metric} is not exported by the server`);
      continue;
    }
    for (const m of s.matchers) {
      if (TARGET_LABELS.has(m.label)) continue;
      const seen = labels.get(m.label);
      if (!seen) {
        problems.push(`${q.where}: ${s.metric} has no label ${m.label}`);
        continue;
      }
      const domain = domains[m.label];
      const values = m.op === '=' || m.op === '!=' ? [m.value] : (regexAlternatives(m.value) ?? []);
      for (const v of values) {
        const known = domain ? domain.has(v) : seen.has(v);
        if (!known) problems.push(`${q.where}: ${s.metric}{${m.label}${m.op}"${m.value}"}: ${JSON.stringify(v)} is not a value of ${m.label}`);
      }
    }
  }
  for (const g of q.parsed.groupings) {
    for (const label of g.labels) {
      if (TARGET_LABELS.has(label)) continue;
      for (const s of g.selectors) {
        if (EXTERNAL[s.metric]) continue;
        if (!index.get(s.metric)?.has(label)) problems.push(`${q.where}: by (${label}) but ${s.metric} has no ${label} label`);
      }
    }
  }
  if (q.legend !== undefined) {
    const outer = q.parsed.groupings[0];
    const available = outer ? new Set(outer.labels) : new Set(q.parsed.selectors.flatMap((s) => [...(index.get(s.metric)?.keys() ?? [])]).concat([...TARGET_LABELS]));
    for (const m of q.legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      if (!available.has(m[1]!)) problems.push(`${q.where}: legend {{${m[1]}}} is not a label of the result`);
    }
  }
  return problems;
}

describe('metric names against the live server', () => {
  it('exports every series the deploy files read (one job and one Predict run, then /metrics scraped)', () => {
    const domains = labelDomains();
    const queries = [...alertQueries(), ...dashboardQueries()];
    expect(queries.length).toBeGreaterThan(20);
    const problems = queries.flatMap((q) => consistencyProblems(q, domains));
    expect(problems).toEqual([]);
    const used = new Set(queries.flatMap((q) => q.parsed.selectors.map((s) => s.metric)));
    const external = [...used].filter((m) => !index.has(m));
    expect(external.sort()).toEqual(Object.keys(EXTERNAL).sort());
  });

  it('reads the contract\'s names: every metric of api.md is on the dashboard', () => {
    const used = new Set(dashboardQueries().flatMap((q) => q.parsed.selectors.map((s) => s.metric.replace(/_bucket$/, ''))));
    // Every api.md name but grpc_server_started_total (a rate of starts adds nothing next to handled), plus process health.
    const shown = [...API_METRIC_NAMES.filter((n) => n !== 'grpc_server_started_total'), 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes'];
    for (const name of shown) {
      expect(used.has(name), name).toBe(true);
      expect(index.has(name) || index.has(`${name}_bucket`), `${name} on /metrics`).toBe(true);
    }
  });

  it('catches a wrong name, label or value (the check is not a no-op)', () => {
    const domains = labelDomains();
    const bad = (expr: string): string[] => consistencyProblems({ where: 'probe', expr, parsed: parsePromQL(expr) }, domains);
    expect(bad('taan_jobs_total')).toHaveLength(1);
    expect(bad('taan_jobs{status="FAILED"}')).toHaveLength(1);
    expect(bad('taan_jobs{state="failed"}')).toHaveLength(1);
    expect(bad('grpc_server_handled_total{grpc_code=~"Internal|UNAVAILABLE"}')).toHaveLength(1);
    expect(bad('sum by (method) (rate(grpc_server_handled_total[5m]))')).toHaveLength(1);
    expect(bad('sum(rate(grpc_server_handled_total[5m]')).not.toHaveLength(0);
    expect(bad('grpc_server_handled_total{grpc_method="Predict", grpc_code="OK"}')).toEqual([]);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  it('is a Prometheus rule file: groups of alerting rules with expr, for, severity, summary and description', () => {
    expect(ruleFileProblems(loadYaml(ALERTS))).toEqual([]);
  });

  it('alerts on what the issue asks: failing jobs, RPC errors, Predict latency, not SERVING, a growing queue', () => {
    const rules = alertRules();
    const byName = new Map(rules.map((r) => [r.alert, r.expr]));
    const expectAlert = (name: string, pattern: RegExp): void => expect(byName.get(name), name).toMatch(pattern);
    expectAlert('TaanJobsFailing', /taan_jobs\{state="FAILED"\}/);
    expectAlert('TaanRpcErrorRatioHigh', /grpc_server_handled_total/);
    expectAlert('TaanPredictLatencyHigh', /grpc_method="Predict"/);
    expectAlert('TaanServiceNotServing', /kube_deployment_status_replicas_available/);
    expectAlert('TaanServiceDown', /up\{job=/);
    expectAlert('TaanJobQueueGrowing', /deriv\(taan_job_queue_depth/);
    for (const q of alertQueries()) expect(q.parsed.errors, q.where).toEqual([]);
  });

  it('passes promtool check rules and the rule unit tests (promtool test rules alerts.test.yml)', () => {
    const check = promtool(['check', 'rules', ALERTS]);
    expect(check.status, check.output).toBe(0);
    const unit = promtool(['test', 'rules', path.basename(ALERT_TESTS)], path.dirname(ALERT_TESTS));
    expect(unit.status, unit.output).toBe(0);
    expect(unit.output).toContain('SUCCESS');
  });
});

describe('deploy/grafana/taan-dashboard.json', () => {
  it('conforms to Grafana\'s dashboard schema (@grafana/schema), panel options included', () => {
    const shapes = new TypeShapes({
      Dashboard: { from: '@grafana/schema', name: 'Dashboard' },
      TimeSeriesOptions: { from: '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen', name: 'Options' },
      TimeSeriesFieldConfig: { from: '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen', name: 'FieldConfig' },
      BarGaugeOptions: { from: '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen', name: 'Options' },
    });
    // Panel options and queries are plugin-defined (`unknown` in the dashboard schema): checked per panel type below.
    // Field-override values and matcher options are typed `any` there.
    const anyAllowed = (p: string): boolean => /\.overrides\[\d+\]\.(matcher\.options|properties\[\d+\]\.value)$/.test(p);
    expect(shapes.check('Dashboard', dashboard, { anyAllowed })).toEqual([]);
    for (const p of allPanels()) {
      if (p.type === 'timeseries') {
        expect(shapes.check('TimeSeriesOptions', p.options), p.title).toEqual([]);
        expect(shapes.check('TimeSeriesFieldConfig', p.fieldConfig?.defaults.custom ?? {}), p.title).toEqual([]);
      } else if (p.type === 'bargauge') {
        expect(shapes.check('BarGaugeOptions', p.options), p.title).toEqual([]);
      } else {
        expect(p.type, p.title).toBe('row');
      }
    }
    expect(shapes.check('Dashboard', { ...dashboard, refresh: 30, panels: [{ type: 'timeseries', gridpos: {} }] }, { anyAllowed }).length).toBeGreaterThan(0);
  });

  it('lays panels on the 24-column grid without overlap, with unique ids, all on the datasource variable', () => {
    const ids = allPanels().map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of allPanels()) {
      const g = p.gridPos;
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
      if (p.type === 'row') continue;
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const t of p.targets ?? []) expect(t.datasource?.uid ?? '${datasource}', p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    const vars = new Set(dashboard.templating.list.map((v) => v.name));
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
    for (const p of allPanels()) {
      for (const t of p.targets ?? []) {
        for (const m of t.expr.matchAll(/\$\{?(\w+)/g)) if (!m[1]!.startsWith('__')) expect(vars.has(m[1]!), `${p.title}: $${m[1]}`).toBe(true);
      }
    }
  });

  it('shows what operators watch: RPC rate, errors and latency quantiles by method, step time p50/p95, mAP@10, jobs, queue, workers, event loop, heap', () => {
    const q = dashboardQueries();
    const has = (re: RegExp): boolean => q.some((x) => re.test(x.expr));
    expect(has(/sum by \(grpc_method\) \(rate\(grpc_server_handled_total/)).toBe(true);
    expect(has(/sum by \(grpc_method, grpc_code\) \(rate\(grpc_server_handled_total\{[^}]*grpc_code!="OK"/)).toBe(true);
    for (const quantile of ['0.5', '0.95', '0.99']) {
      expect(has(new RegExp(`histogram_quantile\\(${quantile}, sum by \\(grpc_method, le\\) \\(rate\\(grpc_server_handling_seconds_bucket`))).toBe(true);
    }
    for (const quantile of ['0.5', '0.95']) expect(has(new RegExp(`histogram_quantile\\(${quantile}, sum by \\(le\\) \\(rate\\(taan_train_step_duration_seconds_bucket`))).toBe(true);
    expect(q.some((x) => /taan_eval_map_at_10/.test(x.expr) && /\{\{model\}\}/.test(x.legend ?? '') && /\{\{task\}\}/.test(x.legend ?? ''))).toBe(true);
    expect(has(/sum by \(state\) \(taan_jobs/)).toBe(true);
    for (const re of [/taan_job_queue_depth/, /taan_worker_busy/, /nodejs_eventloop_lag_p99_seconds/, /nodejs_heap_size_used_bytes/]) expect(has(re), String(re)).toBe(true);
  });

  it('has queries Prometheus itself accepts (promtool check rules on them as recording rules)', () => {
    for (const x of dashboardQueries()) expect(x.parsed.errors, x.where).toEqual([]);
    const rules = dashboardQueries().map((x, i) => ({ record: `dashboard:query_${i}`, expr: x.expr }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'taan-dash-')), 'dashboard-rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const check = promtool(['check', 'rules', file]);
    expect(check.status, check.output).toBe(0);
  });
});
