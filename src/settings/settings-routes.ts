import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import type { Services } from '../services.ts';

const settingsSchema = z.object({
  dispatchers_read_reports: z.boolean(),
  dispatcher_chat_id: z
    .number()
    .int()
    .safe()
    .refine((v) => v !== 0, 'must be a Telegram chat id')
    .nullable()
    .meta({ description: "the dispatchers' group chat (null: each dispatcher privately)" }),
  completion_needs_after_photo: z.boolean().meta({ description: 'a master completes an order only with an "after" photo attached' }),
  refusal_question_below: z
    .string()
    .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be an amount like "1000.00"')
    .meta({ description: 'a completion total under this makes the bot ask whether it is really a refusal with a fee (default "1000.00"; "0": never)' }),
});
docSchemas.add(settingsSchema, { id: 'Settings' });

type Wire = z.output<typeof settingsSchema>;
const toWire = (s: Awaited<ReturnType<Services['settings']['all']>>): Wire => ({
  dispatchers_read_reports: s.dispatchersReadReports,
  dispatcher_chat_id: s.dispatcherChatId,
  completion_needs_after_photo: s.completionNeedsAfterPhoto,
  refusal_question_below: s.refusalQuestionBelow,
});

/** Run-time settings admins change (each change audited). */
export function settingsRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/settings',
      operationId: 'getSettings',
      summary: 'Read the run-time settings',
      tag: 'settings',
      roles: ['ADMIN'],
      responses: { 200: { description: 'The settings', schema: settingsSchema } },
      errors: [],
      async handle({ res }) {
        res.json(toWire(await services.settings.all()));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/settings',
      operationId: 'changeSettings',
      summary: 'Change run-time settings (any of them; each change audited)',
      tag: 'settings',
      roles: ['ADMIN'],
      body: settingsSchema.partial().strict(),
      responses: { 200: { description: 'The settings after the change', schema: settingsSchema } },
      errors: [422],
      async handle({ principal, body, res }) {
        // The schema checked every value first, so the changes below cannot stop halfway.
        const set = services.settings;
        if (body.dispatchers_read_reports !== undefined) await set.set(principal, 'dispatchersReadReports', body.dispatchers_read_reports);
        if (body.dispatcher_chat_id !== undefined) await set.set(principal, 'dispatcherChatId', body.dispatcher_chat_id);
        if (body.completion_needs_after_photo !== undefined) await set.set(principal, 'completionNeedsAfterPhoto', body.completion_needs_after_photo);
        if (body.refusal_question_below !== undefined) await set.set(principal, 'refusalQuestionBelow', body.refusal_question_below);
        res.json(toWire(await services.settings.all()));
      },
    }),
  ];
}
