import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { readPayload } from './telegram-stub-payload.ts';

/**
 * A local stand-in for the Telegram Bot API, for tests and load tests.
 *
 * Serves POST/GET {url}/bot<token>/<method> with JSON, urlencoded or
 * multipart bodies (sendDocument), answers like Telegram (Message objects,
 * `true`, getMe, long-polled getUpdates) and records every call. It can
 * fail the next calls of a method (429 with retry_after, or any error).
 *
 * In-process:  const stub = await startTelegramStub();  new Bot(token, { client: { apiRoot: stub.url } })
 * As a script: node test/support/telegram-stub.ts --port 8081 [--host 0.0.0.0]
 *   GET  /stub/stats                      calls per method
 *   GET  /stub/calls?method=&chat_id=&since=   recorded calls (JSON)
 *   POST /stub/fail {"method","times","retry_after"|"error_code","description"}
 *   POST /stub/updates <update JSON>      queued for getUpdates
 *   POST /stub/reset                      forget calls, failures and updates
 */

export interface StubCall {
  seq: number;
  method: string;
  payload: Record<string, unknown>;
  /** Uploaded files by field name (sendDocument). */
  files: Record<string, { name: string; size: number; data: Buffer }>;
  /** True when the stub answered this call with an injected failure. */
  failed: boolean;
  /** What the stub answered (a Message for sends, with its message_id). */
  result?: unknown;
  /** When the request arrived (ms since epoch), not when it was answered. */
  at: number;
}

export interface StubOptions {
  port?: number;
  host?: string;
  botInfo?: { id: number; first_name: string; username: string };
  /** Oldest calls are dropped beyond this (load tests run long). */
  maxCalls?: number;
  /** getUpdates waits at most this long for updates, whatever `timeout` asks. */
  maxPollSeconds?: number;
}

interface Failure {
  times: number;
  errorCode: number;
  description: string;
  retryAfter?: number;
}

export interface TelegramStub {
  /** Bot API root for `client.apiRoot` / TELEGRAM_API_ROOT. */
  readonly url: string;
  readonly calls: readonly StubCall[];
  callsOf(method: string): StubCall[];
  /** What reached a chat: sendMessage, editMessageText, editMessageReplyMarkup, sendDocument, sendPhoto. */
  messagesTo(chatId: number): StubCall[];
  failNext(method: string, opts?: { times?: number; retryAfter?: number; errorCode?: number; description?: string }): void;
  pushUpdate(update: { update_id: number } & Record<string, unknown>): void;
  /** Resolves with the first call (already recorded or coming) that matches. */
  waitFor(match: (c: StubCall) => boolean, timeoutMs?: number): Promise<StubCall>;
  stats(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const TO_CHAT = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'sendDocument', 'sendPhoto', 'sendMediaGroup']);

export async function startTelegramStub(opts: StubOptions = {}): Promise<TelegramStub> {
  const botInfo = opts.botInfo ?? { id: 1000001, first_name: 'Repair Bot', username: 'repair_test_bot' };
  const me = {
    ...botInfo,
    is_bot: true,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
  const maxCalls = opts.maxCalls ?? 10_000;
  const maxPollMs = (opts.maxPollSeconds ?? 1) * 1000;
  let calls: StubCall[] = [];
  let seq = 0;
  let messageId = 0;
  const counts = new Map<string, number>();
  const failures = new Map<string, Failure>();
  let updates: Array<{ update_id: number }> = [];
  const waiters = new Set<{ match: (c: StubCall) => boolean; resolve: (c: StubCall) => void }>();
  const pollers = new Set<() => void>();

  const record = (call: StubCall) => {
    calls.push(call);
    if (calls.length > maxCalls) calls = calls.slice(-maxCalls);
    counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    for (const w of waiters) {
      if (w.match(call)) {
        waiters.delete(w);
        w.resolve(call);
      }
    }
  };

  const message = (p: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    message_id: typeof p.message_id === 'number' ? p.message_id : ++messageId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: Number(p.chat_id), type: Number(p.chat_id) < 0 ? 'group' : 'private' },
    from: me,
    ...extra,
  });

  const pollUpdates = async (p: Record<string, unknown>, req: IncomingMessage): Promise<unknown[]> => {
    const offset = Number(p.offset ?? 0);
    const pending = () => updates.filter((u) => u.update_id >= offset).slice(0, Number(p.limit ?? 100));
    updates = updates.filter((u) => u.update_id >= offset);
    if (pending().length === 0) {
      const waitMs = Math.min(Number(p.timeout ?? 0) * 1000, maxPollMs);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pollers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        pollers.add(done);
        req.socket.once('close', done);
      });
    }
    return pending();
  };

  const answer = async (method: string, p: Record<string, unknown>, files: StubCall['files'], req: IncomingMessage): Promise<unknown> => {
    switch (method) {
      case 'getMe':
        return me;
      case 'getUpdates':
        return pollUpdates(p, req);
      case 'sendMessage':
        return message(p, { text: p.text });
      case 'editMessageText':
        return message(p, { text: p.text, edit_date: Math.floor(Date.now() / 1000) });
      case 'editMessageReplyMarkup':
        return message(p);
      case 'sendDocument': {
        const doc = files.document;
        return message(p, { caption: p.caption, document: { file_id: `doc${seq}`, file_unique_id: `u${seq}`, file_name: doc?.name, file_size: doc?.size } });
      }
      case 'sendPhoto': {
        const photo = files.photo;
        return message(p, { caption: p.caption, photo: [{ file_id: `photo${seq}`, file_unique_id: `p${seq}`, width: 0, height: 0, file_size: photo?.size }] });
      }
      case 'sendMediaGroup': {
        const media = (typeof p.media === 'string' ? JSON.parse(p.media) : p.media) as Array<{ caption?: string }>;
        return media.map((m) => message(p, { caption: m.caption, photo: [{ file_id: `photo${seq}`, file_unique_id: `p${seq}`, width: 0, height: 0 }] }));
      }
      case 'getWebhookInfo':
        return { url: '', has_custom_certificate: false, pending_update_count: 0 };
      default:
        return true;
    }
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const { payload } = await readPayload(req);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /stub/stats') return send(res, 200, Object.fromEntries(counts));
    if (route === 'GET /stub/calls') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const method = url.searchParams.get('method');
      const chat = url.searchParams.get('chat_id');
      const list = calls.filter((c) => c.seq > since && (!method || c.method === method) && (!chat || String(c.payload.chat_id) === chat));
      return send(
        res,
        200,
        list.map(({ files: _files, ...c }) => c),
      );
    }
    if (route === 'POST /stub/fail') {
      stub.failNext(String(payload.method), {
        times: Number(payload.times ?? 1),
        retryAfter: payload.retry_after as number | undefined,
        errorCode: payload.error_code as number | undefined,
        description: payload.description as string | undefined,
      });
      return send(res, 200, { ok: true });
    }
    if (route === 'POST /stub/updates') {
      stub.pushUpdate(payload as { update_id: number });
      return send(res, 200, { ok: true });
    }
    if (route === 'POST /stub/reset') {
      stub.reset();
      return send(res, 200, { ok: true });
    }
    send(res, 404, { ok: false, description: 'no such stub route' });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const handle = async () => {
      if (url.pathname.startsWith('/stub/')) return control(req, res, url);
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const method = m[2]!;
      // Arrival time: a long poll is recorded only when it ends, possibly after its client stopped.
      const arrivedAt = Date.now();
      const { payload, files } = await readPayload(req);
      const failure = failures.get(method);
      const call: StubCall = { seq: ++seq, method, payload, files, failed: false, at: arrivedAt };
      if (failure && failure.times > 0) {
        if (--failure.times === 0) failures.delete(method);
        record({ ...call, failed: true });
        const parameters = failure.retryAfter !== undefined ? { retry_after: failure.retryAfter } : undefined;
        return send(res, failure.errorCode, {
          ok: false,
          error_code: failure.errorCode,
          description: failure.description,
          ...(parameters ? { parameters } : {}),
        });
      }
      const result = await answer(method, payload, files, req);
      record({ ...call, result });
      send(res, 200, { ok: true, result });
    };
    handle().catch((err: unknown) => send(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${String(err)}` }));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as { port: number };
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';

  const stub: TelegramStub = {
    url: `http://${host}:${address.port}`,
    get calls() {
      return calls;
    },
    callsOf: (method) => calls.filter((c) => c.method === method && !c.failed),
    messagesTo: (chatId) => calls.filter((c) => TO_CHAT.has(c.method) && !c.failed && Number(c.payload.chat_id) === chatId),
    failNext(method, o = {}) {
      const errorCode = o.errorCode ?? 429;
      const retryAfter = o.retryAfter ?? (errorCode === 429 ? 1 : undefined);
      const description = o.description ?? (errorCode === 429 ? `Too Many Requests: retry after ${retryAfter}` : 'Bad Request');
      failures.set(method, { times: o.times ?? 1, errorCode, description, retryAfter });
    },
    pushUpdate(update) {
      updates.push(update);
      for (const wake of [...pollers]) wake();
    },
    waitFor(match, timeoutMs = 5_000) {
      const seen = calls.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (c: StubCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`telegram stub: no matching call within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stats: () => Object.fromEntries(counts),
    reset() {
      calls = [];
      counts.clear();
      failures.clear();
      updates = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const wake of [...pollers]) wake();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return stub;
}

// Run as a script: print where it listens and serve until stopped.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const stub = await startTelegramStub({ port: Number(arg('port') ?? 8081), host: arg('host') ?? '127.0.0.1', maxPollSeconds: 25 });
  process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
  const stop = () => void stub.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
