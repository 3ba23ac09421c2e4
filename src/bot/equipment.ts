import type { EquipmentService } from '../equipment/equipment-service.ts';

export interface EquipmentType {
  code: string;
  name_ru: string;
  name_en: string;
  /** One appliance, for cards and order lines; null: the plural serves. */
  singular_ru: string | null;
  singular_en: string | null;
  is_active: boolean;
}

const TTL_MS = 60_000;

/**
 * Equipment type names in each language, from the managed list. Read at most
 * once a minute: every order card and list needs them, and they rarely change.
 */
export class Equipment {
  private readonly source: Pick<EquipmentService, 'list'>;
  private cached: { at: number; types: EquipmentType[] } | null = null;
  constructor(source: Pick<EquipmentService, 'list'>) {
    this.source = source;
  }

  async all(): Promise<EquipmentType[]> {
    if (!this.cached || Date.now() - this.cached.at > TTL_MS) {
      this.cached = { at: Date.now(), types: await this.source.list() };
    }
    return this.cached.types;
  }

  /** The types a new order may use, in display order. */
  async active(): Promise<EquipmentType[]> {
    return (await this.all()).filter((t) => t.is_active);
  }

  /**
   * A resolver for the name of one order's appliance in one language: the
   * singular name (menus show the plural ones), the code for an unknown type.
   */
  async namer(language: 'ru' | 'en'): Promise<(code: string) => string> {
    const types = await this.all();
    return (code) => {
      const t = types.find((x) => x.code === code);
      if (!t) return code;
      return language === 'en' ? (t.singular_en ?? t.name_en) : (t.singular_ru ?? t.name_ru);
    };
  }
}
