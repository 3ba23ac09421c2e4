import type { IncomingMessage } from 'node:http';

/** Request bodies as the Bot API takes them: JSON, urlencoded or multipart (file uploads). */

export interface Payload {
  payload: Record<string, unknown>;
  files: Record<string, { name: string; size: number; data: Buffer }>;
}

/** Form fields arrive as strings: ids become numbers, JSON objects objects. */
function fieldValue(key: string, value: string): unknown {
  if (/_id$/.test(key) && /^-?\d+$/.test(value)) return Number(value);
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export async function readPayload(req: IncomingMessage): Promise<Payload> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://stub');
  const payload: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) payload[k] = fieldValue(k, v);
  const files: Payload['files'] = {};
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return { payload, files };
  if (type.includes('application/json')) return { payload: { ...payload, ...(JSON.parse(body.toString('utf8')) as object) }, files };
  const form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body }).formData();
  for (const [k, v] of form) {
    if (typeof v === 'string') payload[k] = fieldValue(k, v);
    else files[k] = { name: v.name, size: v.size, data: Buffer.from(await v.arrayBuffer()) };
  }
  // Files travel as attach://<part>: file them under the field that refers to them (e.g. document).
  for (const [k, v] of Object.entries(payload)) {
    const part = typeof v === 'string' && v.startsWith('attach://') ? files[v.slice('attach://'.length)] : undefined;
    if (part) files[k] = part;
  }
  return { payload, files };
}
