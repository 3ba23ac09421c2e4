import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * The README's main flow, line by line, against the real service on an
 * empty database with the bootstrap token it prints: the request bodies a
 * newcomer copies are the ones that work.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const t = useTestDatabase();
let service: ServiceProcess | undefined;

afterAll(() => service?.kill());

/** The request lines of the README's ```http block. */
function readmeRequests(): Array<{ method: string; path: string; body: unknown }> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```http\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .trim()
    .split('\n')
    .map((line) => {
      const m = /^(GET|POST|PUT|PATCH|DELETE) (\S+)(?: (.+))?$/.exec(line);
      if (!m) throw new Error(`not a request line: ${line}`);
      return { method: m[1]!, path: m[2]!, body: m[3] === undefined ? undefined : (JSON.parse(m[3]) as unknown) };
    });
}

describe("the README's main flow", () => {
  it('works as written on a fresh database with the bootstrap token', async () => {
    // Setup
    const requests = readmeRequests();
    service = await startServiceProcess({ DATABASE_URL: t.url });
    expect(service.token).toBeDefined();

    // Action
    const answers: Array<{ line: string; status: number; body: Record<string, unknown> }> = [];
    for (const r of requests) {
      const res = await fetch(`${service.base}${r.path}`, {
        method: r.method,
        headers: { authorization: `Bearer ${service.token}`, ...(r.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      });
      answers.push({ line: `${r.method} ${r.path}`, status: res.status, body: (await res.json()) as Record<string, unknown> });
    }

    // Assertions: every line succeeded, and what the README says about it holds
    expect(requests.length).toBeGreaterThanOrEqual(8);
    for (const a of answers) expect(a.status, `${a.line}: ${JSON.stringify(a.body)}`).toBeLessThan(300);
    const completed = answers.find((a) => a.line.endsWith('/complete'))!.body;
    expect(completed).toMatchObject({ status: 'COMPLETED', total_amount: '10000.00', master_profit: '5400.00', company_profit: '3600.00' });
    expect(answers.find((a) => a.line.endsWith('/close'))!.body).toMatchObject({ id: 1, status: 'CLOSED' });
  });
});
