/**
 * PromQL through Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of the Prometheus web UI):
 * syntax errors, and what an expression reads: every vector selector (metric name and label matchers) and every
 * `by (...)` grouping with the selectors below it.
 */
import { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Selector {
  metric: string;
  matchers: Matcher[];
}

export interface Grouping {
  labels: string[];
  selectors: Selector[];
}

export interface ParsedExpr {
  errors: string[];
  selectors: Selector[];
  groupings: Grouping[];
}

const OPS: Record<string, Matcher['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  // PromQL string literals follow Go's escapes; JSON's are the same for what dashboards use.
  if (literal.startsWith("'")) return JSON.parse(`"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(literal) as string;
}

function childrenNamed(node: SyntaxNode, names: string[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (names.includes(c.name)) out.push(c);
  return out;
}

function descendants(node: SyntaxNode, name: string, out: SyntaxNode[] = []): SyntaxNode[] {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

function selectorOf(node: SyntaxNode, text: string): Selector {
  const id = childrenNamed(node, ['Identifier'])[0];
  const matchers: Matcher[] = [];
  let metric = id ? text.slice(id.from, id.to) : '';
  for (const list of childrenNamed(node, ['LabelMatchers'])) {
    for (const m of childrenNamed(list, ['UnquotedLabelMatcher', 'QuotedLabelMatcher', 'QuotedLabelName'])) {
      const name = childrenNamed(m, ['LabelName', 'QuotedLabelName'])[0];
      const op = childrenNamed(m, ['MatchOp'])[0]?.firstChild;
      const value = childrenNamed(m, ['StringLiteral'])[0];
      if (!name || !op || !value) {
        // A bare quoted name inside braces is the metric name: {"metric"}.
        if (m.name === 'QuotedLabelName' || (name && !op)) metric = unquote(text.slice((name ?? m).from, (name ?? m).to));
        continue;
      }
      const labelText = text.slice(name.from, name.to);
      const label = labelText.startsWith('"') ? unquote(labelText) : labelText;
      const matcher: Matcher = { label, op: OPS[op.name] ?? '=', value: unquote(text.slice(value.from, value.to)) };
      if (label === '__name__' && matcher.op === '=') metric = matcher.value;
      else matchers.push(matcher);
    }
  }
  return { metric, matchers };
}

export function parsePromQL(expr: string): ParsedExpr {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(`syntax error at ${n.from}: ${JSON.stringify(expr.slice(Math.max(0, n.from - 20), n.to + 20))}`);
    },
  });
  const top = tree.topNode;
  const selectors = descendants(top, 'VectorSelector').map((n) => selectorOf(n, expr));
  const groupings: Grouping[] = [];
  for (const agg of descendants(top, 'AggregateExpr')) {
    const modifier = childrenNamed(agg, ['AggregateModifier'])[0];
    if (!modifier || !childrenNamed(modifier, ['By']).length) continue;
    const labels = childrenNamed(modifier, ['GroupingLabels']).flatMap((g) =>
      childrenNamed(g, ['LabelName', 'QuotedLabelName']).map((l) => {
        const t = expr.slice(l.from, l.to);
        return t.startsWith('"') ? unquote(t) : t;
      }),
    );
    groupings.push({ labels, selectors: descendants(agg, 'VectorSelector').map((n) => selectorOf(n, expr)) });
  }
  if (selectors.some((s) => s.metric === '')) errors.push('a selector without a metric name');
  return { errors, selectors, groupings };
}

/** Grafana's template variables replaced by values a Prometheus would accept, so the query parses as PromQL. */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$__range_s\b/g, '300')
    .replace(/\$\{(\w+)(:[^}]*)?\}|\$(\w+)/g, '.*');
}

/** The alternatives of a regex matcher that is a plain `a|b|c` list; undefined for anything more complex. */
export function regexAlternatives(value: string): string[] | undefined {
  return /^[A-Za-z0-9_.]+(\|[A-Za-z0-9_.]+)*$/.test(value) ? value.split('|') : undefined;
}
