import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import type { Services } from '../services.ts';
import { equipmentCodeSchema, equipmentTypePatchSchema, newEquipmentTypeSchema, reorderSchema, type EquipmentType } from './equipment-service.ts';

const equipmentTypeSchema = z.object({
  code: z.string().meta({ description: 'stable code orders use in equipment_type' }),
  name_ru: z.string().meta({ description: 'plural, as menus show it' }),
  name_en: z.string(),
  singular_ru: z.string().nullable().meta({ description: 'one appliance, as an order card shows it (null: the plural serves)' }),
  singular_en: z.string().nullable(),
  is_active: z.boolean().meta({ description: 'only active types are offered for new orders' }),
  sort_order: z.int(),
});
docSchemas.add(equipmentTypeSchema, { id: 'EquipmentType' });

const codeParams = z.strictObject({ code: equipmentCodeSchema });

function view({ code, name_ru, name_en, singular_ru, singular_en, is_active, sort_order }: EquipmentType) {
  return { code, name_ru, name_en, singular_ru, singular_en, is_active, sort_order };
}

/** The equipment catalog: everyone reads it, admins add, rename, reorder and (de)activate types. */
export function equipmentRoutes(services: Services): AnyRoute[] {
  const { equipment } = services;
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
        res.json({ items: (await equipment.list()).map(view) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/equipment-types',
      operationId: 'addEquipmentType',
      summary: 'Add an equipment type (at the end of the menu)',
      tag: 'equipment',
      roles: ['ADMIN'],
      body: newEquipmentTypeSchema,
      responses: { 201: { description: 'The new type', schema: equipmentTypeSchema } },
      errors: [409],
      async handle({ principal, body, res }) {
        res.status(201).json(view(await equipment.add(principal, body)));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/equipment-types/{code}',
      operationId: 'changeEquipmentType',
      summary: 'Rename, activate or deactivate an equipment type',
      tag: 'equipment',
      roles: ['ADMIN'],
      params: codeParams,
      body: equipmentTypePatchSchema,
      responses: { 200: { description: 'The type', schema: equipmentTypeSchema } },
      errors: [404],
      async handle({ principal, params, body, res }) {
        res.json(view(await equipment.change(principal, params.code, body)));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/equipment-types/order',
      operationId: 'reorderEquipmentTypes',
      summary: 'Put these types first in the menus, in this order',
      tag: 'equipment',
      roles: ['ADMIN'],
      body: reorderSchema,
      responses: { 200: { description: 'Equipment types in the new order', schema: z.object({ items: z.array(equipmentTypeSchema) }) } },
      errors: [422],
      async handle({ principal, body, res }) {
        res.json({ items: (await equipment.reorder(principal, body.codes)).map(view) });
      },
    }),
  ];
}
