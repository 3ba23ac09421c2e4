import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { orderIdParams } from '../orders/order-api.ts';
import type { Services } from '../services.ts';
import { ATTACHMENT_STAGES } from './attachments-service.ts';

const attachmentSchema = z.object({
  id: z.number().int(),
  stage: z.enum(ATTACHMENT_STAGES),
  media: z.enum(['photo', 'document']),
  file_id: z.string().meta({ description: "Telegram's file id: the bot sends the file again by it" }),
  file_name: z.string().nullable(),
  added_by: z.string().meta({ description: 'who attached it' }),
  added_at: z.iso.datetime({ offset: true }),
});
docSchemas.add(attachmentSchema, { id: 'Attachment' });

export function attachmentRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/{id}/attachments',
      operationId: 'listOrderAttachments',
      summary: "An order's photos and documents (metadata; the files stay in Telegram)",
      tag: 'attachments',
      roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
      rolesNote: 'A master only on orders assigned to them (others answer 404).',
      params: orderIdParams,
      responses: { 200: { description: 'Attachments in the order they came', schema: z.object({ items: z.array(attachmentSchema) }) } },
      errors: [404],
      async handle({ principal, params, res }) {
        const items = await services.attachments.list(principal, params.id);
        res.json({
          items: items.map(({ added_by_name, order_id: _order, ...a }) => ({
            ...a,
            stage: a.stage as (typeof ATTACHMENT_STAGES)[number],
            media: a.media as 'photo' | 'document',
            added_by: added_by_name,
          })),
        });
      },
    }),
  ];
}
