import { createHash } from 'node:crypto';
import { asText, cleanText, limitLength } from './clean-text.ts';

/**
 * Legacy orders name their equipment by Russian label; our orders by code,
 * found through equipment_types.legacy_label. A label that matches only
 * loosely (case, spacing, ё) is taken with a note; a label no type knows
 * gets an inactive type of its own, so no order is lost and nobody is
 * offered it for new orders.
 */
export interface EquipmentType {
  code: string;
  name_ru: string;
  name_en: string;
  legacy_label: string | null;
}

export interface EquipmentPlan {
  resolve(raw: unknown): { code: string; reason: string | null };
  /** Types to create for labels no type knows: active for the latest bot's kinds, inactive for the rest. */
  toCreate: Array<{ code: string; name: string; nameEn: string; label: string; active: boolean }>;
}

/** Labels later legacy versions used for a type the catalog knows by another label (loose form -> code). */
const LEGACY_ALIASES: Record<string, string> = { 'дш/вп': 'oven' };

/**
 * Kinds of equipment the latest legacy bot took orders for that a catalog may
 * lack: added as active types (the business keeps taking such orders after
 * the switch), by the legacy label, unless a type already carries it.
 */
const LATEST_KINDS: Record<string, { code: string; name: string; nameEn: string }> = {
  'сушильные машины': { code: 'dryer', name: 'Сушильные машины', nameEn: 'Dryers' },
  холодильники: { code: 'refrigerator', name: 'Холодильники', nameEn: 'Refrigerators' },
};

function loose(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

export function planEquipment(labels: unknown[], types: EquipmentType[]): EquipmentPlan {
  const exact = new Map<string, string>();
  const byLoose = new Map<string, string>();
  for (const t of types) {
    if (t.legacy_label !== null) exact.set(t.legacy_label, t.code);
    for (const name of [t.legacy_label, t.name_ru, t.name_en, t.code]) {
      if (name !== null && !byLoose.has(loose(name))) byLoose.set(loose(name), t.code);
    }
  }
  const resolved = new Map<string, { code: string; reason: string | null }>();
  const toCreate: EquipmentPlan['toCreate'] = [];
  const keyOf = (raw: unknown) => asText(raw) ?? '';
  for (const raw of labels) {
    const key = keyOf(raw);
    const code = exact.get(key);
    if (code) {
      resolved.set(key, { code, reason: null });
      continue;
    }
    const text = cleanText(raw)?.text ?? '';
    const alias = LEGACY_ALIASES[loose(text)];
    if (alias && types.some((t) => t.code === alias)) {
      resolved.set(key, { code: alias, reason: null });
      continue;
    }
    const looseCode = byLoose.get(loose(text));
    if (looseCode) {
      resolved.set(key, { code: looseCode, reason: 'equipment_type: label matched ignoring case and spacing' });
      continue;
    }
    const kind = LATEST_KINDS[loose(text)];
    if (kind && !types.some((t) => t.code === kind.code)) {
      if (!toCreate.some((t) => t.code === kind.code)) toCreate.push({ code: kind.code, name: kind.name, nameEn: kind.nameEn, label: text, active: true });
      byLoose.set(loose(text), kind.code);
      resolved.set(key, { code: kind.code, reason: null });
      continue;
    }
    const newCode = `legacy_${createHash('sha256').update(loose(text)).digest('hex').slice(0, 10)}`;
    if (!toCreate.some((t) => t.code === newCode)) {
      const name = limitLength(text, 100).text || 'Не указано';
      toCreate.push({ code: newCode, name, nameEn: name, label: text, active: false });
    }
    byLoose.set(loose(text), newCode);
    resolved.set(key, { code: newCode, reason: 'equipment_type: unknown label, inactive type created' });
  }
  return {
    resolve: (raw) => {
      const hit = resolved.get(keyOf(raw));
      if (!hit) throw new Error(`equipment label ${JSON.stringify(keyOf(raw))} was not planned`);
      return hit;
    },
    toCreate,
  };
}
