import { z } from 'zod';
import type { OrderStatus } from '../db/enums.ts';
import type { ParamDecls, ParamsOf } from '../db/types.ts';
import type { AppError } from '../errors.ts';
import { text } from '../input.ts';
import type { CompletionTerms } from '../money/commission-service.ts';
import { isAmount, MAX_AMOUNT } from './money.ts';

/**
 * The shape of one order action (order-actions.ts holds the table of them,
 * order-money-actions.ts those that move money) and the pieces the
 * declarations share.
 *
 * who: staff = an admin or a dispatcher; master = the assigned master, or an
 * admin acting for them; staff_or_master = staff, or the assigned master;
 * admin = admins only; client = a client of the order (someone who opened its
 * client link in the bot; no role needed, the statement checks the link).
 */
export type Who = 'staff' | 'master' | 'staff_or_master' | 'admin' | 'client';

/** Parameters every action statement binds first, in this order ($1..$6). */
export const ACTION_COMMON = { id: 'int8', actor_id: 'int8', expected_version: 'int4?', master_scope: 'int8?', note: 'text?', details: 'jsonb?' } as const;
type CommonDecls = typeof ACTION_COMMON;
export type ActionBase = ParamsOf<CommonDecls>;

/** `$n::type` for each parameter name, to write an action's SQL with names the compiler checks. */
export type Placeholders<P> = { readonly [K in keyof P]: string };

/** The bare state of an order, deleted or not: used to explain a refused change. */
export interface OrderState {
  id: number;
  status: OrderStatus;
  master_id: number | null;
  version: number;
  deleted: boolean;
}

/** What a correction starts from: the order's money now (read at the version the caller named) and its recorded rule. */
interface CorrectionTerms extends CompletionTerms {
  current: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean; company_profit: string; master_profit: string };
}

/** What actions may consult beyond their input. */
export interface ActionDeps {
  /** The commission rule a completion uses (read for that order just before it); null for other actions. */
  completion: CompletionTerms | null;
  /** The refusal-fee rule a refusal on site uses; null for other actions. */
  refusal: CompletionTerms | null;
  /** A correction: the rule recorded at completion and the money it corrects; null for other actions. */
  correction: CorrectionTerms | null;
  findMaster(id: number): Promise<{ is_approved: boolean; is_active: boolean } | null>;
  /** A setting asks for an "after" photo to complete, and the order has none. */
  afterPhotoMissing(id: number): Promise<boolean>;
  /** The prepayment taken at a long repair (null: none). */
  prepaymentOf(id: number): Promise<string | null>;
  /** The order's refusal fee was handed over in a settlement. */
  feeHandedOver(id: number): Promise<boolean>;
}

export interface ActionSpec<B extends z.ZodType, P extends ParamDecls> {
  /** What it does, for people (OpenAPI summary). */
  title: string;
  from: readonly OrderStatus[];
  to: OrderStatus | null;
  who: Who;
  body: B;
  /** The caller must name the version it saw (edits never lose an update). */
  requiresVersion?: true;
  /** Acts on deleted orders only (restore); every other action never sees them. */
  onDeleted?: true;
  /** The audit row keeps each changed field's value before and after (edits). */
  recordsChanges?: true;
  /** The history note. */
  note?: (input: z.output<B>) => string | null;
  /** Extra audit details. */
  details?: (input: z.output<B>) => Record<string, unknown>;
  /** When the status allowed the action but nothing matched: an action-specific reason, if any. */
  explain?: (input: z.output<B>, state: OrderState, deps: ActionDeps) => Promise<AppError | null>;
  sql: {
    params: P;
    set: (p: Placeholders<CommonDecls & P>) => string;
    where?: (p: Placeholders<CommonDecls & P>) => string;
    bind: (input: z.output<B>, base: ActionBase, deps: ActionDeps) => ParamsOf<CommonDecls & P>;
    /** Further CTEs reading `moved` (the changed row), written in the same statement. */
    ctes?: (p: Placeholders<CommonDecls & P>) => string;
  };
}

/** Declares an action, keeping its body and parameter types for the table. */
export function action<B extends z.ZodType, const P extends ParamDecls>(spec: ActionSpec<B, P>): ActionSpec<B, P> {
  return spec;
}

export const reasonSchema = text(1000);
export const noteSchema = text(1000).optional();
export const amountSchema = z.string().refine(isAmount, `must be a decimal string like "1234.50", from 0 to ${MAX_AMOUNT}`);
export const empty = z.strictObject({});
export const noParams = { params: {}, set: () => '', bind: (_input: unknown, base: ActionBase) => base };
