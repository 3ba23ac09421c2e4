import { describe, expect, it } from 'vitest';
import { encode, packCursor, parseCallbackData, unpackCursor, type CallbackData } from '../../src/bot/callback-data.ts';
import { encodeCursor } from '../../src/orders/cursor.ts';

describe('button data', () => {
  const samples: CallbackData[] = [
    { type: 'menu', item: 'new' },
    { type: 'lang', language: 'en' },
    { type: 'equipment', code: 'washing_machine' },
    { type: 'skip' },
    { type: 'back' },
    { type: 'editStep', step: 3 },
    { type: 'confirm', yes: false },
    { type: 'answer', yes: true },
    { type: 'list', filter: 'o', cursor: null },
    { type: 'list', filter: 'x', cursor: encodeCursor({ createdAt: '2026-11-24T01:36:01.123456Z', id: 987654321 }) },
    { type: 'card', orderId: 42 },
    { type: 'order', action: 'long_repair', orderId: 9_007_199_254_740_991, version: 12 },
    { type: 'pickMaster', orderId: 1, version: 2, afterId: 0 },
    { type: 'assign', orderId: 1, version: 2, masterId: 3 },
    { type: 'masterFlag', flag: 'deactivate', masterId: 5 },
    { type: 'linkGroup', target: 'dispatchers' },
    { type: 'masterOff', masterId: 9 },
    { type: 'addMasterFor', telegramId: 140_737_488_355_327 },
    { type: 'editMaster', masterId: 4, field: 'specialization' },
    { type: 'linkGroup', target: 12 },
    { type: 'workChat', masterId: 12 },
    { type: 'unlinkGroup', masterId: 12 },
    { type: 'userRoles', telegramId: 140_737_488_355_327, roles: ['ADMIN', 'MASTER'] },
    { type: 'userRoles', telegramId: 7, roles: [] },
    { type: 'userRolesAsk', telegramId: 7, roles: ['DISPATCHER'] },
    { type: 'sure', action: 'close', orderId: 12, version: 3, yes: true },
    { type: 'sure', action: 'unassign', orderId: 12, version: 3, yes: false },
    { type: 'report', period: 'custom' },
    { type: 'reportFile', from: '2026-04-30T21:00:00.000Z', to: '2026-05-31T21:00:00.000Z' },
    { type: 'album', orderId: 9_007_199_254_740_991 },
    { type: 'ruleFeeEdit' },
  ];

  it("round-trips everything the bot draws, within Telegram's 64 bytes", () => {
    for (const d of samples) {
      const raw = encode(d);
      expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(64);
      expect(parseCallbackData(raw)).toEqual(d);
    }
  });

  it('parses nothing it did not draw', () => {
    const forged = [
      '',
      ':',
      'm',
      'm:',
      'm:drop',
      'lg:de',
      'eq:Robert"); DROP TABLE',
      'sk:1',
      'cf:maybe',
      'oc:0',
      'oc:-1',
      'oc:1.5',
      'oc:1e3',
      'ab:0',
      'ab:1:2',
      'oc:99999999999999999',
      'oa:ac:1',
      'oa:ac:1:0',
      'oa:??:1:1',
      'oa:ac:1:1:1',
      'ur:1:16',
      'rp:y',
      'lk:x',
      'ok:ac:1:1:y',
      'ok:cl:1:1:maybe',
      'es:20',
      'bk:1',
      'lk:0',
      'wc:-3',
      'rx:zzzzzzzzz:1',
      'ls:o:not-a-cursor',
      'ls:z',
      '__proto__:1',
      'constructor:1',
      'toString',
      `oc:${'1'.repeat(70)}`,
    ];
    for (const raw of forged) expect(parseCallbackData(raw), raw).toBeNull();
  });

  it('packs a list cursor to fit a button and unpacks it to the same cursor', () => {
    const cursor = encodeCursor({ createdAt: '2026-11-24T01:36:01.000007Z', id: 5 });
    expect(unpackCursor(packCursor(cursor))).toBe(cursor);
    expect(unpackCursor('zzzzzzzzzzzzz.zzzzzzzzzzz')).toBeNull();
  });
});
