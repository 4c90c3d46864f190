/**
 * The Prometheus scrape endpoint: a bare node:http server, separate from gRPC so scrapes work while the gRPC
 * server drains or is not yet serving.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';

export interface MetricsServerOptions {
  /** Interface to bind, e.g. '0.0.0.0' or '127.0.0.1'. */
  host: string;
  /** TCP port; 0 picks a free one (read it back from the result). */
  port: number;
  registry: Registry;
  /** Where scrape failures go; default: not logged. */
  logger?: Logger;
}

export interface MetricsServer {
  /** The bound port, useful when 0 was asked for. */
  readonly port: number;
  /** A URL of /metrics that can be fetched from this host. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, logger } = opts;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': registry.contentType }).end(body);
      },
      (err: unknown) => {
        logger?.error({ err }, 'metrics scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics collection failed\n');
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const url = `http://${reachableHost(opts.host)}:${port}/metrics`;
  logger?.debug({ url }, 'metrics server listening');

  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Scrapers and fetch() keep connections alive; without this, close() waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

/** A wildcard bind address is not a destination; point the URL at loopback instead. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
