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
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: `urn:repair-bot:problem:${tooLarge ? 'headers-too-large' : 'bad-request'}`,
    title: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
    status,
    detail: tooLarge ? 'the request line or headers are too large (URL and headers must stay under 16 kB)' : 'the HTTP request is malformed',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function listen(app: Express, port: number, host: string): Promise<RunningServer> {
  const server = createServer(app);
  // Longer than a load balancer's idle timeout, so it closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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
