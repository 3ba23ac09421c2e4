import type { Api } from 'grammy';
import type { Logger } from '../telemetry/logger.ts';
import type { BotStore } from './bot-store.ts';
import type { SpilledMessage } from './chat-lanes.ts';
import { safeError } from './error-boundary.ts';

/**
 * The bot_outbox table: notifications queued when an instance stopped
 * (ChatLanes.stop) are saved there, and the next instance to start sends
 * them. A shutdown thus never waits for a chat's throttled queue, and
 * nothing queued is lost with the process.
 */
export async function saveSpilled(store: BotStore, messages: SpilledMessage[], logger: Logger): Promise<void> {
  if (messages.length === 0) return;
  try {
    await store.saveOutbox(messages);
    logger.info({ messages: messages.length }, 'queued notifications saved for the next instance');
  } catch (err) {
    logger.error({ err: safeError(err), messages: messages.length }, 'queued notifications lost: could not save them');
  }
}

/** Sends what an instance saved at shutdown, oldest first; each row is claimed once. Resolves with how many were sent. */
export async function sendSaved(store: BotStore, api: Api, logger: Logger): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await store.claimOutbox(100);
    for (const m of batch) {
      try {
        await api.raw.sendMessage(m.payload as Parameters<Api['raw']['sendMessage']>[0]);
        sent++;
      } catch (err) {
        // Claimed and not delivered (the person blocked the bot, say): like any failed notification.
        logger.warn({ err: safeError(err) }, 'saved notification not delivered');
      }
    }
    if (batch.length < 100) return sent;
  }
}
