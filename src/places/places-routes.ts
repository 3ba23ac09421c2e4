import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { orderIdParams } from '../orders/order-api.ts';
import type { Services } from '../services.ts';
import { mapLinks } from './map-links.ts';

const linksSchema = z.object({ yandex: z.string(), google: z.string() });
const pointSchema = z.object({ latitude: z.number(), longitude: z.number(), set_at: z.iso.datetime({ offset: true }), maps: linksSchema });
const placesSchema = z.object({
  address_maps: linksSchema.meta({ description: 'the address as a map search (no geocoding)' }),
  pin: pointSchema.nullable(),
  check_in: pointSchema
    .extend({
      live: z.boolean(),
      live_until: z.iso
        .datetime({ offset: true })
        .nullable()
        .meta({ description: 'while a live location is shared, until when; the point follows it and set_at is when the master was last seen' }),
    })
    .nullable(),
  distance_metres: z.number().int().nullable().meta({ description: 'from the pin to the check-in, when both exist' }),
});
docSchemas.add(placesSchema, { id: 'OrderPlaces' });

export function placeRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/{id}/places',
      operationId: 'getOrderPlaces',
      summary: "Where the job is: map links for the address, the pinned point and the master's check-in",
      tag: 'attachments',
      roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
      rolesNote: 'A master only on orders assigned to them (others answer 404).',
      params: orderIdParams,
      responses: { 200: { description: 'The places of the order', schema: placesSchema } },
      errors: [404],
      async handle({ principal, params, res }) {
        const order = await services.orders.get(principal, params.id);
        const p = await services.places.of(principal, params.id);
        res.json({
          address_maps: mapLinks(order.client_address),
          pin: p.pin && { ...p.pin, maps: mapLinks(p.pin) },
          check_in: p.checkIn && { ...p.checkIn, maps: mapLinks(p.checkIn) },
          distance_metres: p.distance,
        });
      },
    }),
  ];
}
