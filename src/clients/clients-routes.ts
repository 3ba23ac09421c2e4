import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { orderIdParams } from '../orders/order-api.ts';
import type { Services } from '../services.ts';
import { qrPng } from './qr-png.ts';

const clientLinkSchema = z.object({
  start_parameter: z.string().meta({ description: "the deep link's ?start= value (single order, unguessable; only its hash is stored)" }),
  url: z.string().nullable().meta({ description: 'https://t.me/<bot>?start=..., null while the bot has not started' }),
  qr_png_base64: z.string().nullable().meta({ description: 'the url as a QR code (PNG, base64), null with url' }),
  expires_at: z.iso.datetime({ offset: true }),
});
docSchemas.add(clientLinkSchema, { id: 'ClientLink' });

const clientSideSchema = z.object({
  clients: z.number().int().meta({ description: 'people following the order through its link' }),
  link_expires_at: z.iso.datetime({ offset: true }).nullable(),
  rating: z.object({ score: z.number().int().min(1).max(5), comment: z.string().nullable(), rated_at: z.iso.datetime({ offset: true }) }).nullable(),
});
docSchemas.add(clientSideSchema, { id: 'OrderClientSide' });

/** The client's link for an order and what staff may know of the client side (no client identities). */
export function clientRoutes(services: Services): AnyRoute[] {
  const { clients } = services;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/orders/{id}/client-link',
      operationId: 'createClientLink',
      summary: "Issue the client's personal link for an order (replaces an earlier one)",
      description: 'The client opens it in Telegram and from then on hears of the order. Give it to the client only.',
      tag: 'clients',
      roles: ['ADMIN', 'DISPATCHER'],
      params: orderIdParams,
      responses: { 201: { description: 'A new link', schema: clientLinkSchema } },
      errors: [404],
      async handle({ principal, params, res }) {
        const link = await clients.issueLink(principal, params.id);
        const url = clients.linkUrl(link.token);
        res.setHeader('Cache-Control', 'no-store');
        res.status(201).json({
          start_parameter: link.token,
          url,
          qr_png_base64: url ? qrPng(url).toString('base64') : null,
          expires_at: link.expiresAt,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/{id}/client',
      operationId: 'getOrderClientSide',
      summary: "The order's client side: followers, link expiry and the client's rating",
      tag: 'clients',
      roles: ['ADMIN', 'DISPATCHER'],
      params: orderIdParams,
      responses: { 200: { description: 'The client side of the order', schema: clientSideSchema } },
      errors: [404],
      async handle({ principal, params, res }) {
        const info = await clients.infoFor(principal, params.id);
        res.json({
          clients: info.clients,
          link_expires_at: info.link_expires_at,
          rating: info.score === null ? null : { score: info.score, comment: info.comment, rated_at: info.rated_at! },
        });
      },
    }),
  ];
}
