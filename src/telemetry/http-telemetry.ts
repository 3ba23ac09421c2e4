import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import express, { Router, type Request, type RequestHandler } from 'express';
import { exemplarOf } from './exemplars.ts';
import type { Logger } from './logger.ts';
import { OPENMETRICS, PROMETHEUS_TEXT, type Metrics } from './metrics.ts';
import { tracer } from './tracing.ts';
import { isUnmeasured } from './unmeasured.ts';

/** The one http_route value of every request no route matched (404s, probes for random paths). */
const UNMATCHED_ROUTE = 'unmatched';

const ROUTE = Symbol('telemetry.route');
type Routed = Request & { [ROUTE]?: string };

let capturing = false;

/**
 * Records express's matched route template (mount path + route path, e.g.
 * /api/v1/orders/:id) on the request when the route is dispatched. Read at
 * response finish, `req.baseUrl` may already have been reset (an error
 * passed to an app-level handler leaves the router), so it is taken here,
 * where it is exact. Generic: works for every router and route, nothing
 * in the routes has to cooperate.
 */
function captureRouteTemplates(): void {
  if (capturing) return;
  capturing = true;
  // express.Route is router's Route class; @types/express does not declare it.
  const proto = (express as unknown as { Route: { prototype: { dispatch(this: { path: unknown }, req: Routed, ...rest: unknown[]): unknown } } }).Route
    .prototype;
  const dispatch = proto.dispatch;
  proto.dispatch = function (this: { path: unknown }, req: Routed, ...rest: unknown[]) {
    req[ROUTE] = req.baseUrl + (typeof this.path === 'string' ? this.path : String(this.path));
    return dispatch.call(this, req, ...rest);
  };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** Status codes as label strings, made once rather than per request. */
const STATUS = Array.from({ length: 600 }, (_, i) => String(i));

export interface HttpTelemetryOptions {
  metrics?: Metrics;
  /** One SERVER span per request, named by the route template. */
  tracing: boolean;
  /**
   * A line per request (method, route, status, duration; never bodies or
   * raw paths): at info for failed (4xx, 5xx as error) and slow ones, at
   * debug for the rest.
   */
  logger?: Logger;
  /** A request taking at least this long is logged at info (default 100 ms, as SLOW_QUERY_MS). */
  slowMs?: number;
}

/** Starts the request's SERVER span, continuing a caller's trace (traceparent) if any. */
function startServerSpan(req: Request, method: string): Span {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  return tracer().startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.scheme': 'http', 'url.path': req.path } },
    parent,
  );
}

function endServerSpan(span: Span, route: string, status: number, method: string): void {
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Per-request telemetry, installed first: the request's SERVER span (the
 * parent of everything the request does), the request duration histogram
 * with the trace as exemplar, and the request log line. The span is made
 * here rather than by instrumentation-http's incoming side, which costs
 * several times more per request (URL and header parsing into a dozen
 * attributes, every request and response emitter bound to the context)
 * and could only learn the route through express instrumentation.
 * Returns null when there is nothing to do, so a service with
 * instrumentation off carries no middleware at all.
 */
export function httpTelemetry(opts: HttpTelemetryOptions): RequestHandler | null {
  const { metrics, tracing } = opts;
  const logger = opts.logger?.isLevelEnabled('info') ? opts.logger : undefined;
  // A line for every answered request cost about 6% of the service's busy CPU under the mix of #18
  // (pino's serialization, redaction, mixin and write, in a --cpu-prof profile) and says nothing
  // the request histogram does not: fine requests are logged at debug only.
  const everyRequest = logger?.isLevelEnabled('debug') ?? false;
  const slowSeconds = (opts.slowMs ?? 100) / 1000;
  // A saturated service makes every request slow: a line for each would add work exactly when
  // there is none to spare. One slow line per route per second shows it; the histogram counts them.
  const lastSlowLine = new Map<string, number>();
  const slowLineDue = (route: string, now: number) => {
    if (now - (lastSlowLine.get(route) ?? -Infinity) < 1000) return false;
    lastSlowLine.set(route, now);
    return true;
  };
  if (!metrics && !tracing && !logger) return null;
  captureRouteTemplates();
  return (req, res, next) => {
    // The service's own warm-up requests (warm-up-requests.ts) are not traffic: no span, no observation, no line.
    if (isUnmeasured()) {
      next();
      return;
    }
    const started = performance.now();
    const method = METHODS.has(req.method) ? req.method : '_OTHER';
    // Scrapes every few seconds would drown the traces that matter.
    const span = tracing && req.url !== '/metrics' ? startServerSpan(req, method) : undefined;
    res.once('close', () => {
      const now = performance.now();
      const seconds = (now - started) / 1000;
      const route = (req as Routed)[ROUTE] ?? UNMATCHED_ROUTE;
      // A client that hung up before the answer: 499, as proxies count it.
      const status = res.writableFinished ? res.statusCode : 499;
      if (span) endServerSpan(span, route, status, method);
      // An event stream lasts as long as its viewer watches: its duration is no latency.
      const stream = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      if (!stream)
        metrics?.httpDuration.observe({
          labels: { http_request_method: method, http_route: route, http_response_status_code: STATUS[status] ?? String(status) },
          value: seconds,
          exemplarLabels: exemplarOf(span),
        });
      const slow = seconds >= slowSeconds;
      if (logger && (status >= 400 || everyRequest || (slow && slowLineDue(route, now)))) {
        const ids = exemplarOf(span);
        const line = { method, route, status, duration_ms: Math.round(seconds * 10_000) / 10, request_id: res.locals.requestId as unknown, ...ids };
        if (status >= 500) logger.error(line, 'request');
        else if (status >= 400 || slow) logger.info(line, 'request');
        else logger.debug(line, 'request');
      }
    });
    if (span) context.with(trace.setSpan(context.active(), span), next);
    else next();
  };
}

/**
 * True when the Accept header prefers OpenMetrics to plain text. Parsed by
 * hand: scrapers send parameters (version=1.0.0, escaping=...) that
 * generic negotiation treats as a mismatch.
 */
function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = 0;
  let text = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text;
}

/**
 * GET /metrics: Prometheus text by default, OpenMetrics (with exemplars)
 * when the scraper asks for it, as Prometheus does when it may store exemplars.
 */
export function metricsRouter(render: (openMetrics: boolean) => Promise<string>): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const openMetrics = wantsOpenMetrics(req.headers.accept);
    const body = await render(openMetrics);
    res.setHeader('Content-Type', openMetrics ? OPENMETRICS : PROMETHEUS_TEXT);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
  return router;
}
