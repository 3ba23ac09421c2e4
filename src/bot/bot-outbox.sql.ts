import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** bot_outbox: notifications spilled at shutdown, sent by the next instance (chat-lanes.ts). */

const insertOutboxMessagesQuery = defineQuery({
  name: 'bot.insert_outbox_messages',
  params: { chatIds: 'int8[]', payloads: 'jsonb[]' },
  columns: {},
  text: `
INSERT INTO bot_outbox (chat_id, payload)
SELECT chat_id, payload FROM unnest($1::int8[], $2::jsonb[]) AS m (chat_id, payload)`,
});

export function insertOutboxMessages(db: Queryable, messages: Array<{ chatId: number; payload: object }>): Promise<number> {
  return db.run(insertOutboxMessagesQuery, { chatIds: messages.map((m) => m.chatId), payloads: messages.map((m) => JSON.stringify(m.payload)) });
}

const claimOutboxMessagesQuery = defineQuery({
  name: 'bot.claim_outbox_messages',
  params: { limit: 'int4' },
  columns: { id: 'int8', chat_id: 'int8', payload: 'jsonb' },
  // SKIP LOCKED: instances starting together take different rows; a claimed row is gone once sent for.
  text: `
DELETE FROM bot_outbox
WHERE id IN (SELECT id FROM bot_outbox ORDER BY id LIMIT $1::int4 FOR UPDATE SKIP LOCKED)
RETURNING id, chat_id, payload`,
});

/** Takes (deletes and returns) up to `limit` spilled messages, oldest first. */
export async function claimOutboxMessages(db: Queryable, limit: number): Promise<Array<{ id: number; chat_id: number; payload: unknown }>> {
  const rows = await db.many(claimOutboxMessagesQuery, { limit });
  return rows.sort((a, b) => a.id - b.id);
}
