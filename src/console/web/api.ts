/** The console's HTTP client: same origin, the session cookie, and the session's CSRF token on every change. */
export interface Problem {
  status: number;
  detail?: string;
  field?: string;
  current_version?: number;
  current_status?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrf(token: string): void {
  csrfToken = token;
}

/** What to do when the session ends under our feet (401 from any call). */
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrfToken }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/v1/console/session')) onSignedOut();
    throw new ApiError(res.status, { status: res.status, ...(data as object) });
  }
  return data as T;
}

/** A transition or edit, bound to the version the person saw. */
export function act<T>(path: string, version: number, body: unknown = {}, method = 'POST'): Promise<T> {
  return api<T>(method, path, body, { 'If-Match': `"${version}"` });
}
