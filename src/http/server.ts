import { createServer, type ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  server: Server;
  port: number;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to
   * graceMs, then cuts what is left), and resolves when every connection is
   * closed. Kept-alive connections are closed as soon as they fall idle, and
   * answers given meanwhile carry Connection: close.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Errors Node answers before express sees the request (header too large,
 * malformed request line): a problem+json too, then the socket is closed.
 */
const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'headers-too-large',
    'Request Header Fields Too Large',
    'the request line or headers are too large (URL and headers must stay under 16 kB)',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'Request Timeout', 'the request did not arrive in time; send it whole without pauses'],
};

function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A request timeout may strike while express waits for the body: nothing
  // has been written yet, so the 408 can still go out on the raw socket.
  const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  if (!socket.writable || (pending && (!timedOut || pending.headersSent))) {
    socket.destroy();
    return;
  }
  const [status, slug, title, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'bad-request', 'Bad Request', 'the HTTP request is malformed'];
  const body = JSON.stringify({ type: `urn:repair-bot:problem:${slug}`, title, status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** How long a client may take to send a request: its headers, and all of it with the body (HTTP_*_TIMEOUT_MS). */
export interface RequestTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

const DEFAULT_TIMEOUTS: RequestTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

export async function listen(app: Express, port: number, host: string, timeouts: RequestTimeouts = DEFAULT_TIMEOUTS): Promise<RunningServer> {
  // A client trickling its headers or body would otherwise hold a connection
  // (and a request slot) for Node's default 300 s; the timeouts are checked
  // every second rather than every 30 s, so a slow sender gets its 408 on time.
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    app,
  );
  // Longer than a load balancer's idle timeout, so it closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError);

  const active = new Set<ServerResponse>();
  let closing = false;
  // Ahead of the app, so a request that arrives while closing is answered with Connection: close.
  server.prependListener('request', (_req, res: ServerResponse) => {
    active.add(res);
    if (closing) res.shouldKeepAlive = false;
    res.once('close', () => {
      active.delete(res);
      // Its connection may now be idle: let it go rather than wait for the keep-alive timeout.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  let closed: Promise<void> | undefined;
  return {
    server,
    port: actualPort,
    inFlight: () => active.size,
    close: (graceMs = 10_000) =>
      (closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
