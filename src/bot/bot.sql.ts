import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** The bot's own tables: processed update ids, conversation state, equipment names. */

const insertProcessedUpdateQuery = defineQuery({
  name: 'bot.insert_processed_update',
  params: { updateId: 'int8' },
  columns: { update_id: 'int8' },
  text: `
INSERT INTO processed_updates (update_id) VALUES ($1::int8)
ON CONFLICT (update_id) DO NOTHING
RETURNING update_id`,
});

/**
 * Records an update id; false when it was already recorded (a redelivery).
 * A concurrent delivery of the same id waits here until the first commits.
 */
export async function insertProcessedUpdate(db: Queryable, updateId: number): Promise<boolean> {
  return (await db.maybeOne(insertProcessedUpdateQuery, { updateId })) !== null;
}

const findConversationQuery = defineQuery({
  name: 'bot.find_conversation',
  params: { chatId: 'int8', userId: 'int8' },
  columns: { kind: 'text', step: 'text', data: 'jsonb' },
  // FOR UPDATE: two updates of one chat delivered at once take turns on the state.
  text: `
SELECT kind, step, data FROM bot_conversations
WHERE chat_id = $1::int8 AND user_id = $2::int8
FOR UPDATE`,
});

export function findConversation(db: Queryable, chatId: number, userId: number): Promise<{ kind: string; step: string; data: unknown } | null> {
  return db.maybeOne(findConversationQuery, { chatId, userId });
}

const saveConversationQuery = defineQuery({
  name: 'bot.save_conversation',
  params: { chatId: 'int8', userId: 'int8', kind: 'text', step: 'text', data: 'jsonb' },
  columns: {},
  text: `
INSERT INTO bot_conversations (chat_id, user_id, kind, step, data)
VALUES ($1::int8, $2::int8, $3::text, $4::text, $5::jsonb)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  kind = EXCLUDED.kind, step = EXCLUDED.step, data = EXCLUDED.data, updated_at = now()`,
});

export function saveConversation(db: Queryable, chatId: number, userId: number, c: { kind: string; step: string; data: object }): Promise<number> {
  return db.run(saveConversationQuery, { chatId, userId, kind: c.kind, step: c.step, data: JSON.stringify(c.data) });
}

const deleteConversationQuery = defineQuery({
  name: 'bot.delete_conversation',
  params: { chatId: 'int8', userId: 'int8' },
  columns: {},
  text: `DELETE FROM bot_conversations WHERE chat_id = $1::int8 AND user_id = $2::int8`,
});

export function deleteConversation(db: Queryable, chatId: number, userId: number): Promise<number> {
  return db.run(deleteConversationQuery, { chatId, userId });
}
