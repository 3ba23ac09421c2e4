import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import type { Services } from '../services.ts';

const equipmentTypeSchema = z.object({
  code: z.string().meta({ description: 'stable code orders use in equipment_type' }),
  name_ru: z.string(),
  name_en: z.string(),
  is_active: z.boolean().meta({ description: 'only active types are offered for new orders' }),
});
docSchemas.add(equipmentTypeSchema, { id: 'EquipmentType' });

/** The equipment types clients may put on an order, with their names in each language. */
export function equipmentRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/equipment-types',
      operationId: 'listEquipmentTypes',
      summary: 'List equipment types (codes and names in Russian and English)',
      tag: 'equipment',
      roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
      responses: { 200: { description: 'Equipment types in display order', schema: z.object({ items: z.array(equipmentTypeSchema) }) } },
      errors: [],
      async handle({ res }) {
        const types = await services.equipment.list();
        res.json({ items: types.map(({ code, name_ru, name_en, is_active }) => ({ code, name_ru, name_en, is_active })) });
      },
    }),
  ];
}
