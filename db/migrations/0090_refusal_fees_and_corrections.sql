-- Up Migration
-- Two kinds of money after the fact: a fee the client pays when refusing the
-- repair on site (e.g. diagnostics), split by a rule of its own kind, and an
-- admin's correction of a completed or closed order, whose difference goes
-- into the master's ledger.

-- A rule's kind: completions, or refusal fees. Each kind is versioned apart
-- (a change to the completion rule never ends the refusal-fee rule).
ALTER TABLE commission_rules ADD COLUMN kind text NOT NULL DEFAULT 'completion'
  CONSTRAINT commission_rules_kind_known CHECK (kind IN ('completion', 'refusal_fee'));
DROP INDEX commission_rules_version_key;
DROP INDEX commission_rules_current_key;
CREATE UNIQUE INDEX commission_rules_version_key ON commission_rules (kind, COALESCE(equipment_type, ''), version);
CREATE UNIQUE INDEX commission_rules_current_key ON commission_rules (kind, COALESCE(equipment_type, '')) WHERE valid_to IS NULL;

-- The legacy bot books a refusal's amount through its completion split
-- (calculate_profit_split with no materials, no review, not out of the city):
-- 40% to the master under 7,000 net, 50% from it, a senior master at least 50%.
-- Fees are small, so the default rule keeps those rates with both bonuses off.
INSERT INTO commission_rules
  (kind, equipment_type, version, threshold, rate_below, rate_above, review_bonus, review_bonus_enabled, out_of_city_bonus, out_of_city_bonus_enabled, senior_floor)
VALUES ('refusal_fee', NULL, 1, 7000.00, 40, 50, 0, false, 0, false, 50);

ALTER TABLE orders
  ADD COLUMN refusal_fee numeric(12, 2) CONSTRAINT orders_refusal_fee_nonnegative CHECK (refusal_fee >= 0),
  ADD COLUMN refusal_master_share numeric(12, 2),
  ADD COLUMN refusal_company_share numeric(12, 2),
  -- The refusal-fee rule version the fee was split by (NULL: imported).
  ADD COLUMN refusal_rule_id bigint REFERENCES commission_rules (id) ON DELETE RESTRICT,
  ADD COLUMN refused_at timestamptz,
  -- When the company's share of the fee was handed over (in a settlement).
  ADD COLUMN fee_handed_over_at timestamptz,
  ADD CONSTRAINT orders_refusal_fee_all_or_none CHECK (
    (refusal_fee IS NULL) = (refusal_master_share IS NULL) AND (refusal_fee IS NULL) = (refusal_company_share IS NULL)),
  ADD CONSTRAINT orders_refusal_shares_add_up CHECK (refusal_master_share + refusal_company_share = refusal_fee),
  ADD CONSTRAINT orders_refusal_fee_when_refused CHECK (refusal_fee IS NULL OR (status = 'REFUSED' AND refused_at IS NOT NULL)),
  ADD CONSTRAINT orders_fee_handed_over_has_fee CHECK (fee_handed_over_at IS NULL OR refusal_fee IS NOT NULL);

-- Refusal fees by period (reports) and by master (ledger).
CREATE INDEX orders_refusal_fee_period_idx ON orders (refused_at)
  INCLUDE (master_id, refusal_fee, refusal_master_share, refusal_company_share, fee_handed_over_at)
  WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX orders_refusal_fee_master_idx ON orders (master_id, refused_at)
  WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL;

-- A settlement may hand over only correction differences (no order).
ALTER TABLE settlements DROP CONSTRAINT settlements_orders_positive;
ALTER TABLE settlements ADD CONSTRAINT settlements_orders_nonnegative CHECK (orders >= 0);

-- An admin's correction of a completed or closed order's money: the split
-- before and after, and what it changed in what the master owes. On a
-- COMPLETED order the order's own share already carries the difference; on a
-- CLOSED one (already handed over) the difference is owed (or owed to the
-- master) on its own until a settlement takes it.
CREATE TABLE order_corrections (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id      bigint NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
  master_id     bigint NOT NULL REFERENCES masters (id) ON DELETE RESTRICT,
  corrected_at  timestamptz NOT NULL DEFAULT now(),
  corrected_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  reason        text NOT NULL CONSTRAINT order_corrections_reason_length CHECK (char_length(reason) BETWEEN 1 AND 1000),
  before        jsonb NOT NULL,
  after         jsonb NOT NULL,
  owed_delta    numeric(12, 2) NOT NULL,
  after_close   boolean NOT NULL,
  settlement_id bigint REFERENCES settlements (id) ON DELETE RESTRICT,
  CONSTRAINT order_corrections_settled_after_close CHECK (after_close OR settlement_id IS NULL)
);
CREATE INDEX order_corrections_master_idx ON order_corrections (master_id, corrected_at);
CREATE INDEX order_corrections_order_idx ON order_corrections (order_id, corrected_at);

-- Down Migration
DROP TABLE order_corrections;
ALTER TABLE settlements DROP CONSTRAINT settlements_orders_nonnegative;
ALTER TABLE settlements ADD CONSTRAINT settlements_orders_positive CHECK (orders > 0);
DROP INDEX orders_refusal_fee_master_idx;
DROP INDEX orders_refusal_fee_period_idx;
ALTER TABLE orders
  DROP COLUMN fee_handed_over_at, DROP COLUMN refused_at, DROP COLUMN refusal_rule_id,
  DROP COLUMN refusal_company_share, DROP COLUMN refusal_master_share, DROP COLUMN refusal_fee;
DELETE FROM commission_rules WHERE kind = 'refusal_fee';
DROP INDEX commission_rules_current_key;
DROP INDEX commission_rules_version_key;
CREATE UNIQUE INDEX commission_rules_version_key ON commission_rules (COALESCE(equipment_type, ''), version);
CREATE UNIQUE INDEX commission_rules_current_key ON commission_rules (COALESCE(equipment_type, '')) WHERE valid_to IS NULL;
ALTER TABLE commission_rules DROP COLUMN kind;
