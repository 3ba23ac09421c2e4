import { Composer, InlineKeyboard, Keyboard } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { MasterView } from '../../masters/master-view.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import { hasRole, requireAdmin } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { onButton } from '../routing.ts';

/**
 * Group chats: a master's work group, the dispatchers' group.
 *
 * Linking, two ways: an admin adds the bot to a group (or sends /link
 * there) and picks, in the group, whose group it is; or, from a master's
 * card in the private chat, picks the group with Telegram's chat picker
 * (request_chat; the request id is the master's id, 0 for the
 * dispatchers). Telegram's own events keep the links true: the bot removed
 * from a group unlinks it (admins are told), a group becoming a supergroup
 * (migrate_to_chat_id) moves the link to the new id.
 */
const PICKER_MASTERS = 30;
/** request_chat ids are signed 32-bit: a master id beyond that is linked from the group instead. */
const MAX_REQUEST_ID = 2 ** 31 - 1;
const DISPATCHERS = 0;

const isInside = (m: ChatMember): boolean =>
  m.status === 'member' || m.status === 'administrator' || m.status === 'creator' || (m.status === 'restricted' && m.is_member);

const titleOf = (chat: { id: number; title?: string }): string => chat.title ?? String(chat.id);

export function workGroupsFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { masters, settings } = kit.services;

  /** What a group is linked to, in words; null when nothing. */
  const linkedAs = async (ctx: BotContext, chatId: number): Promise<string | null> => {
    const who = (await masters.inWorkChat(chatId)).map((m) => ctx.t('group-who-master', { name: m.name }));
    if ((await settings.dispatcherChatId()) === chatId) who.unshift(ctx.t('group-who-dispatchers'));
    return who.length ? who.join(', ') : null;
  };

  /** In a group: asks an admin whose group it is, tells anyone else to ask an admin, or says what it already is. */
  const introduce = async (ctx: BotContext) => {
    const already = await linkedAs(ctx, ctx.chat!.id);
    if (already) return ctx.reply(ctx.t('group-already', { who: already }));
    if (!hasRole(ctx.state.principal, 'ADMIN')) return ctx.reply(ctx.t('group-ask-admin', { bot: ctx.me.username }));
    const kb = new InlineKeyboard();
    const list = await masters.list(ctx.state.principal, { limit: PICKER_MASTERS });
    for (const m of list.filter((m) => m.is_active))
      kb.text(`👷 ${m.name} · ${m.specialization}`.slice(0, 60), encode({ type: 'linkGroup', target: m.id })).row();
    kb.text(ctx.t('group-button-dispatchers'), encode({ type: 'linkGroup', target: 'dispatchers' }));
    await ctx.reply(ctx.t('group-link-ask'), { reply_markup: kb });
  };

  c.on('my_chat_member', async (ctx) => {
    if (!ctx.state.inGroup) return markHandler(ctx, 'group.private_member'); // a person blocked or unblocked the bot
    const { old_chat_member: was, new_chat_member: now } = ctx.myChatMember;
    if (!isInside(was) && isInside(now)) {
      markHandler(ctx, 'group.added');
      return introduce(ctx);
    }
    if (isInside(was) && !isInside(now)) {
      markHandler(ctx, 'group.removed');
      const chat = ctx.chat;
      const title = titleOf(chat);
      const who = await linkedAs(ctx, chat.id);
      await masters.workChatMoved(ctx.state.principal.userId, chat.id, null);
      await settings.dispatcherChatMoved(ctx.state.principal.userId, chat.id, null);
      if (who) await kit.notifier.people.tellAdmins((t) => t('group-removed', { title, actor: ctx.state.principal.name, who }));
    }
  });

  c.on('message:migrate_to_chat_id', async (ctx) => {
    markHandler(ctx, 'group.migrated');
    const from = ctx.chat.id;
    const to = ctx.message.migrate_to_chat_id;
    const moved = await masters.workChatMoved(ctx.state.principal.userId, from, to);
    const wasDispatchers = await settings.dispatcherChatMoved(ctx.state.principal.userId, from, to);
    if (moved.length || wasDispatchers) await ctx.api.sendMessage(to, kit.groupT('group-migrated', { title: titleOf(ctx.chat) }));
  });

  c.filter((ctx) => ctx.state?.inGroup === true).command('link', async (ctx) => {
    markHandler(ctx, 'group.link');
    await introduce(ctx);
  });

  onButton(c, 'linkGroup', 'group.link_pick', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    if (!ctx.state.inGroup) return ctx.answerCallbackQuery({ text: ctx.t('group-not-here') });
    const chatId = ctx.chat!.id;
    let text: string;
    if (d.target === 'dispatchers') {
      await settings.setDispatcherChat(ctx.state.principal, chatId);
      text = ctx.t('group-linked-dispatchers');
    } else {
      const m = await masters.setWorkChat(ctx.state.principal, d.target, chatId);
      text = ctx.t('group-linked-master', { master: m.name });
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(text);
  });

  // From a master's card (or the masters list, for the dispatchers): Telegram's own group picker.
  onButton(c, 'workChat', 'group.pick', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    const m = d.masterId === DISPATCHERS ? null : await masters.get(ctx.state.principal, d.masterId);
    await ctx.answerCallbackQuery();
    if (m && m.id > MAX_REQUEST_ID) return ctx.reply(ctx.t('group-ask-admin', { bot: ctx.me.username }));
    const picker = new Keyboard()
      .requestChat(ctx.t('group-pick-button'), m?.id ?? DISPATCHERS, { chat_is_channel: false, request_title: true })
      .resized()
      .oneTime();
    await ctx.reply(m ? ctx.t('group-pick-master', { name: m.name }) : ctx.t('group-pick-dispatchers'), { reply_markup: picker });
    const linked = m ? m.work_chat_id !== null : (await settings.dispatcherChatId()) !== null;
    if (linked)
      await ctx.reply(ctx.t('group-unlink'), {
        reply_markup: new InlineKeyboard().text(ctx.t('group-unlink'), encode({ type: 'unlinkGroup', masterId: d.masterId })),
      });
  });

  c.on('message:chat_shared', async (ctx) => {
    markHandler(ctx, 'group.shared');
    requireAdmin(ctx.state.principal);
    const { request_id: requestId, chat_id: chatId, title = String(chatId) } = ctx.message.chat_shared;
    let done: string;
    let hello: string;
    if (requestId === DISPATCHERS) {
      await settings.setDispatcherChat(ctx.state.principal, chatId);
      done = ctx.t('group-shared-dispatchers', { title });
      hello = kit.groupT('group-linked-dispatchers');
    } else {
      const m: MasterView = await masters.setWorkChat(ctx.state.principal, requestId, chatId);
      done = ctx.t('group-shared-master', { title, name: m.name });
      hello = kit.groupT('group-linked-master', { master: m.name });
    }
    await ctx.reply(done, { reply_markup: { remove_keyboard: true } });
    await ctx.api.sendMessage(chatId, hello);
  });

  onButton(c, 'unlinkGroup', 'group.unlink', async (ctx, d) => {
    if (d.masterId === DISPATCHERS) await settings.setDispatcherChat(ctx.state.principal, null);
    else await masters.setWorkChat(ctx.state.principal, d.masterId, null);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('group-unlinked'));
  });

  return c;
}
