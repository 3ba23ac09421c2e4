-- Up Migration
-- Money as the business runs it: the equipment catalog with card and menu
-- names, commission rules as versioned data, the senior master role, and the
-- hand-overs (settlements) that close what a master owes.

-- A master whose share never falls below the rule's senior floor. Not used
-- in this transaction (PostgreSQL forbids using a value added in the same one).
ALTER TYPE user_role ADD VALUE IF NOT EXISTS 'SENIOR_MASTER';

-- name_ru / name_en stay the plural names menus show; a card names one
-- appliance. NULL means the plural name serves (types the importer creates).
ALTER TABLE equipment_types
  ADD COLUMN singular_ru text CONSTRAINT equipment_types_singular_ru_length CHECK (char_length(singular_ru) BETWEEN 1 AND 100),
  ADD COLUMN singular_en text CONSTRAINT equipment_types_singular_en_length CHECK (char_length(singular_en) BETWEEN 1 AND 100);

-- The legacy bot's list also has dryers and refrigerators. ON CONFLICT: the
-- importer's migration may have added them (same code or legacy label) first.
INSERT INTO equipment_types (code, name_ru, name_en, legacy_label, sort_order) VALUES
  ('dryer',        'Сушильные машины', 'Dryers',        'Сушильные машины', 15),
  ('refrigerator', 'Холодильники',     'Refrigerators', 'Холодильники',     85)
ON CONFLICT DO NOTHING;

UPDATE equipment_types t SET singular_ru = v.singular_ru, singular_en = v.singular_en
FROM (VALUES
  ('washing_machine', 'Стиральная машина',              'Washing machine'),
  ('dryer',           'Сушильная машина',               'Dryer'),
  ('oven',            'Духовой шкаф / варочная панель', 'Oven / hob'),
  ('dishwasher',      'Посудомоечная машина',           'Dishwasher'),
  ('coffee_machine',  'Кофемашина',                     'Coffee machine'),
  ('plumbing',        'Сантехника',                     'Plumbing'),
  ('electrical',      'Электрика',                      'Electrical'),
  ('water_heater',    'Водонагреватель',                'Water heater'),
  ('tv',              'Телевизор',                      'TV'),
  ('refrigerator',    'Холодильник',                    'Refrigerator')
) AS v (code, singular_ru, singular_en)
WHERE t.code = v.code;

-- The legacy menus call ovens and hobs 'ДШ/ВП'; people know the type by it.
UPDATE equipment_types SET name_ru = 'ДШ/ВП', name_en = 'Ovens and hobs' WHERE code = 'oven';

-- A commission rule: the master's rate is rate_below under the threshold on
-- net (total - materials) and rate_above from it, raised to senior_floor for
-- a senior master, plus each bonus that is switched on. Rows are never
-- changed except to end them (valid_to): a change is a new version, and an
-- order records the version it was split by, so past money never moves.
CREATE TABLE commission_rules (
  id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- NULL: the default rule, for types without a rule of their own.
  equipment_type            text REFERENCES equipment_types (code) ON DELETE RESTRICT ON UPDATE CASCADE,
  version                   integer NOT NULL CONSTRAINT commission_rules_version_positive CHECK (version > 0),
  threshold                 numeric(12, 2) NOT NULL CONSTRAINT commission_rules_threshold_nonnegative CHECK (threshold >= 0),
  rate_below                integer NOT NULL CONSTRAINT commission_rules_rate_below_percent CHECK (rate_below BETWEEN 0 AND 100),
  rate_above                integer NOT NULL CONSTRAINT commission_rules_rate_above_percent CHECK (rate_above BETWEEN 0 AND 100),
  review_bonus              integer NOT NULL CONSTRAINT commission_rules_review_bonus_percent CHECK (review_bonus BETWEEN 0 AND 100),
  review_bonus_enabled      boolean NOT NULL,
  out_of_city_bonus         integer NOT NULL CONSTRAINT commission_rules_out_of_city_bonus_percent CHECK (out_of_city_bonus BETWEEN 0 AND 100),
  out_of_city_bonus_enabled boolean NOT NULL,
  senior_floor              integer NOT NULL CONSTRAINT commission_rules_senior_floor_percent CHECK (senior_floor BETWEEN 0 AND 100),
  valid_from                timestamptz NOT NULL DEFAULT now(),
  -- NULL while in force.
  valid_to                  timestamptz,
  created_by                bigint REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT commission_rules_period_ordered CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX commission_rules_version_key ON commission_rules (COALESCE(equipment_type, ''), version);
-- At most one rule in force per type (and one default); the completion lookup.
CREATE UNIQUE INDEX commission_rules_current_key ON commission_rules (COALESCE(equipment_type, '')) WHERE valid_to IS NULL;

-- The legacy bot's rates: 40% under 7,000 net, 50% from it; electrical,
-- plumbing and water heaters 50% flat; refrigerators 50% under 20,000 and
-- 60% from it; +10 points out of the city, +10 for a review; a senior
-- master never under 50%. The review bonus is on (the product's default).
INSERT INTO commission_rules
  (equipment_type, version, threshold, rate_below, rate_above, review_bonus, review_bonus_enabled, out_of_city_bonus, out_of_city_bonus_enabled, senior_floor)
SELECT v.equipment_type, 1, v.threshold, v.rate_below, v.rate_above, 10, true, 10, true, 50
FROM (VALUES
  (NULL,           7000.00::numeric, 40, 50),
  ('electrical',   0.00,             50, 50),
  ('plumbing',     0.00,             50, 50),
  ('water_heater', 0.00,             50, 50),
  ('refrigerator', 20000.00,         50, 60)
) AS v (equipment_type, threshold, rate_below, rate_above)
WHERE v.equipment_type IS NULL OR EXISTS (SELECT 1 FROM equipment_types t WHERE t.code = v.equipment_type);

-- One hand-over of money from a master to the company, for one or more orders.
CREATE TABLE settlements (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  master_id  bigint NOT NULL REFERENCES masters (id) ON DELETE RESTRICT,
  orders     integer NOT NULL CONSTRAINT settlements_orders_positive CHECK (orders > 0),
  -- What the master handed over: the company's shares less prepayments it took.
  amount     numeric(12, 2) NOT NULL,
  settled_by bigint REFERENCES users (id) ON DELETE SET NULL,
  settled_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settlements_master_idx ON settlements (master_id, settled_at);

ALTER TABLE orders
  -- The rule version the split was computed by (NULL: imported or earlier money).
  ADD COLUMN commission_rule_id bigint REFERENCES commission_rules (id) ON DELETE RESTRICT,
  ADD COLUMN master_rate integer CONSTRAINT orders_master_rate_percent CHECK (master_rate BETWEEN 0 AND 100),
  -- The bulk hand-over that closed the order (NULL: closed on its own).
  ADD COLUMN settlement_id bigint REFERENCES settlements (id) ON DELETE RESTRICT;

-- A master's ledger and balance at a date: completions and closings by time.
CREATE INDEX orders_master_completed_idx ON orders (master_id, completed_at)
  INCLUDE (closed_at, company_profit, prepayment_amount, settlement_id)
  WHERE completed_at IS NOT NULL AND deleted_at IS NULL;

-- Down Migration
DROP INDEX orders_master_completed_idx;
ALTER TABLE orders DROP COLUMN settlement_id, DROP COLUMN master_rate, DROP COLUMN commission_rule_id;
DROP TABLE settlements;
DROP TABLE commission_rules;
UPDATE equipment_types SET name_ru = 'Духовой шкаф', name_en = 'Ovens' WHERE code = 'oven';
ALTER TABLE equipment_types DROP COLUMN singular_en, DROP COLUMN singular_ru;
-- The SENIOR_MASTER enum value and the added types stay: enum values cannot be
-- dropped, and orders may name the types.
