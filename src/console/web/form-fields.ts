import type { FieldDecls, OrderFieldName } from '../../orders/order-fields.ts';
import type { t } from './i18n.ts';

/** The declared order fields (src/orders/order-fields.ts) among F that a person types as text. */
export type TextFieldOf<F extends OrderFieldName> = { [K in F]: FieldDecls[K] extends 'text' | 'text?' ? K : never }[F];

/**
 * How a form shows each of its text fields: the label, a text area for
 * long ones, and `clearable` (left empty, it is sent as null), which the
 * compiler holds to what the declaration says: true exactly for nullable
 * fields. A field added to the declaration is a compile error in each form
 * until it has a line.
 */
export type TextInputs<F extends OrderFieldName> = {
  [K in F]: { label: Parameters<typeof t>[0]; clearable: FieldDecls[K] extends `${string}?` ? true : false; long?: true };
};
