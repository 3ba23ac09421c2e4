import { describe, expect, it } from 'vitest';
import { collectInto, currentOutbox, deferUntilCommit, detached, Outbox, savepoint } from '../../src/bot/outbox.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();

describe('the outbox', () => {
  it('holds Bot API sends made inside an update and passes everything else through', async () => {
    const calls: string[] = [];
    const raw = async (method: string) => {
      calls.push(method);
      return { ok: true as const, result: true as never };
    };
    const defer = deferUntilCommit();
    const outbox = new Outbox();

    await collectInto(outbox, async () => {
      await defer(raw as never, 'sendMessage', { chat_id: 1, text: 'x' });
      await defer(raw as never, 'getMe', {});
    });
    await defer(raw as never, 'sendMessage', { chat_id: 1, text: 'y' });
    expect(calls).toEqual(['getMe', 'sendMessage']);

    await outbox.flush(() => {});
    expect(calls).toEqual(['getMe', 'sendMessage', 'sendMessage']);
  });

  it('drops what a rolled-back savepoint queued, keeps the rest', async () => {
    const outbox = new Outbox();
    await t.db.transaction(() =>
      collectInto(outbox, async () => {
        outbox.hold(async () => 'kept');
        await savepoint(t.db, async () => {
          outbox.hold(async () => 'dropped');
          throw new Error('the handler failed');
        }).catch(() => undefined);
      }),
    );
    expect(outbox.size).toBe(1);
  });

  it('runs detached work outside the update: no outbox, no ambient transaction', async () => {
    const seen = await t.db.transaction(() =>
      collectInto(new Outbox(), async () => ({
        inside: { tx: t.db.insideTransaction, outbox: currentOutbox() !== undefined },
        detached: await detached(async () => ({ tx: t.db.insideTransaction, outbox: currentOutbox() !== undefined })),
      })),
    );
    expect(seen).toEqual({ inside: { tx: true, outbox: true }, detached: { tx: false, outbox: false } });
  });
});
