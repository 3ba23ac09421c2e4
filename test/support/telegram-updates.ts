export interface TelegramUser {
  id: number;
  is_bot: false;
  first_name: string;
  language_code?: string;
}

/** A private text message as Telegram delivers it (webhook body or getUpdates item); a leading /command is marked as one. */
export function textMessageUpdate(from: TelegramUser, text: string, updateId: number): { update_id: number; message: Record<string, unknown> } {
  const command = text.startsWith('/') ? (text.split(' ')[0] ?? '').length : 0;
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: 'private', first_name: from.first_name },
      from,
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command }] } : {}),
    },
  };
}
