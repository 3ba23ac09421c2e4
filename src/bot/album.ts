import type { InputMediaDocument, InputMediaPhoto } from 'grammy/types';
import type { Attachment } from '../attachments/attachments-service.ts';
import type { BotContext } from './bot-context.ts';

/**
 * An order's files sent back to the reader by their Telegram file ids:
 * photos as albums, documents as albums of their own (Telegram does not
 * mix the two in one group), at most 10 a group as Telegram allows. Every
 * group's first caption names the order and which part of how many it is,
 * so albums forwarded to someone else still say what they belong to.
 */
const GROUP = 10;

function groupsOf<M extends InputMediaPhoto | InputMediaDocument>(ctx: BotContext, orderId: number, files: Attachment[], kind: M['type']): M[][] {
  const groups: M[][] = [];
  for (let i = 0; i < files.length; i += GROUP) {
    const part = files.slice(i, i + GROUP);
    const head = ctx.t(`album-caption-${kind}`, { id: String(orderId), from: String(i + 1), to: String(i + part.length), total: String(files.length) });
    groups.push(
      part.map((f, j) => {
        const line = ctx.t('media-caption', { stage: ctx.t(`media-stage-${f.stage}`), who: f.added_by_name });
        return { type: kind, media: f.file_id, caption: j === 0 ? `${head}\n${line}` : line } as M;
      }),
    );
  }
  return groups;
}

/** Sends the files; a group of one goes as a single photo or document (a media group needs two or more). */
export async function sendAlbums(ctx: BotContext, orderId: number, files: Attachment[]): Promise<void> {
  const of = (kind: 'photo' | 'document') => files.filter((f) => f.media === kind);
  for (const group of groupsOf<InputMediaPhoto>(ctx, orderId, of('photo'), 'photo')) {
    if (group.length > 1) await ctx.replyWithMediaGroup(group);
    else await ctx.replyWithPhoto(group[0]!.media, { caption: group[0]!.caption });
  }
  for (const group of groupsOf<InputMediaDocument>(ctx, orderId, of('document'), 'document')) {
    if (group.length > 1) await ctx.replyWithMediaGroup(group);
    else await ctx.replyWithDocument(group[0]!.media, { caption: group[0]!.caption });
  }
}
