import { CheckViolationError, ForeignKeyViolationError } from '../db/errors.ts';
import { UnprocessableError, ValidationError } from '../errors.ts';
import { fieldOfOrderConstraint } from './order-fields.ts';

/**
 * A database rule an order's input broke, as an error naming the field
 * (orders_<field>_<rule> constraints); anything else passes through.
 */
export function explainFieldError(err: unknown): unknown {
  if (err instanceof ForeignKeyViolationError && err.constraint === 'orders_equipment_type_fkey') {
    return new UnprocessableError('unknown equipment type', { field: 'equipment_type' });
  }
  if (err instanceof CheckViolationError) {
    const field = fieldOfOrderConstraint(err.constraint);
    if (field) return new ValidationError(`violates ${err.constraint}`, { field });
  }
  return err;
}
