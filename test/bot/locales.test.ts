import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FluentResource } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, USER_ROLES } from '../../src/db/enums.ts';
import { LOCALES_DIR } from '../../src/bot/i18n.ts';
import { STATUS_MOVES } from '../../src/orders/order-actions.ts';

function messageIds(language: string): Set<string> {
  const dir = path.join(LOCALES_DIR, language);
  const ids = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ftl'))) {
    const resource = new FluentResource(readFileSync(path.join(dir, file), 'utf8'));
    for (const m of resource.body) ids.add(m.id);
  }
  return ids;
}

describe('translations', () => {
  const ru = messageIds('ru');
  const en = messageIds('en');

  it('Russian and English have exactly the same messages', () => {
    expect([...ru].filter((id) => !en.has(id))).toEqual([]);
    expect([...en].filter((id) => !ru.has(id))).toEqual([]);
    expect(ru.size).toBeGreaterThan(150);
  });

  it('every status, role and transition has its words in both', () => {
    const needed = [
      ...ORDER_STATUSES.map((s) => `status-${s}`),
      ...USER_ROLES.map((r) => `role-${r}`),
      ...STATUS_MOVES.map((n) => `done-${n}`),
      ...STATUS_MOVES.map((n) => `notify-${n.replace('_', '-')}`),
      ...STATUS_MOVES.map((n) => `button-${n}`),
    ];
    for (const ids of [ru, en]) expect(needed.filter((id) => !ids.has(id))).toEqual([]);
  });
});
