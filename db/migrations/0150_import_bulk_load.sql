-- Up Migration
-- A large first import (import-sqlite) loads its tables without their
-- secondary indexes and foreign keys and builds them once at the end, inside
-- its own transaction: PostgreSQL's DDL is transactional, so nobody ever sees
-- a table without them. legacy_import_bulk_begin locks the tables (ACCESS
-- EXCLUSIVE: other sessions wait, as for any lock), notes each dropped
-- index's and key's definition as the catalogue gives it (pg_get_indexdef,
-- pg_get_constraintdef) and drops it; legacy_import_bulk_build_next runs
-- those definitions again, one per call. The DDL text comes from the catalogue, never from a
-- caller: the functions take table names only, as regclass.
--
-- Kept in place, never dropped: primary keys, unique indexes and exclusion
-- constraints (they refuse bad rows as they come, and other tables' keys
-- point at them), and any index or key whose definition the catalogue text
-- would not carry whole (a comment, a tablespace, statistics targets,
-- clustering, replica identity, a partition's inherited key).
CREATE TABLE legacy_import_bulk_ddl (
  xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq int4 NOT NULL,
  kind text NOT NULL CHECK (kind IN ('index', 'foreign_key')),
  -- The table, as regclass text (quoted, qualified where the search path needs it).
  rel text NOT NULL,
  name text NOT NULL,
  def text NOT NULL,
  PRIMARY KEY (xact, seq)
);

COMMENT ON TABLE legacy_import_bulk_ddl IS
  'Indexes and foreign keys a bulk import dropped in its transaction, to build again before it commits; always empty outside one.';

-- A commit with rows left here would leave the tables without those indexes
-- and keys: refused, so the transaction rolls back and they were never gone.
CREATE FUNCTION legacy_import_bulk_unfinished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM legacy_import_bulk_ddl WHERE xact = NEW.xact AND seq = NEW.seq) THEN
    RAISE EXCEPTION 'a bulk load dropped % % and did not build it again: rolled back', NEW.kind, NEW.name
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER legacy_import_bulk_finished
  AFTER INSERT ON legacy_import_bulk_ddl DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION legacy_import_bulk_unfinished();

CREATE FUNCTION legacy_import_bulk_begin(tables regclass[]) RETURNS int4 LANGUAGE plpgsql AS $$
DECLARE
  r record;
  dropped int4 := 0;
BEGIN
  IF EXISTS (SELECT 1 FROM legacy_import_bulk_ddl WHERE xact = pg_current_xact_id()) THEN
    RAISE EXCEPTION 'a bulk load has already begun in this transaction' USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- All at once, in the order given, before anything is read or dropped.
  EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', array_to_string(tables::text[], ', '));
  INSERT INTO legacy_import_bulk_ddl (seq, kind, rel, name, def)
  SELECT row_number() OVER (ORDER BY d.kind, d.rel, d.name), d.kind, d.rel, d.name, d.def
  FROM (
    SELECT 'foreign_key' AS kind, c.conrelid::regclass::text AS rel, c.conname::text AS name, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = ANY (tables) AND c.conparentid = 0 AND c.conislocal
      AND obj_description(c.oid, 'pg_constraint') IS NULL
    UNION ALL
    SELECT 'index', i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = ANY (tables)
      AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
      AND i.indisvalid AND i.indisready AND i.indislive AND NOT i.indisclustered AND NOT i.indisreplident
      AND ic.reltablespace = 0 AND ic.relkind = 'i'
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget IS NOT NULL)
      AND obj_description(i.indexrelid, 'pg_class') IS NULL
  ) d;
  FOR r IN SELECT * FROM legacy_import_bulk_ddl WHERE xact = pg_current_xact_id() ORDER BY seq LOOP
    IF r.kind = 'foreign_key' THEN
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.name);
    ELSE
      EXECUTE format('DROP INDEX %s', r.name);
    END IF;
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

-- Builds the next dropped index (indexes first, then the keys: checking a
-- key reads its table whole once) and says how many are left, so the caller
-- can show its progress; 0 when all are back.
CREATE FUNCTION legacy_import_bulk_build_next() RETURNS int4 LANGUAGE plpgsql AS $$
DECLARE
  r record;
  left_over int4;
BEGIN
  SELECT * INTO r FROM legacy_import_bulk_ddl WHERE xact = pg_current_xact_id() ORDER BY kind = 'foreign_key', seq LIMIT 1;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  IF r.kind = 'foreign_key' THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.rel, r.name, r.def);
  ELSE
    EXECUTE r.def;
  END IF;
  DELETE FROM legacy_import_bulk_ddl WHERE xact = r.xact AND seq = r.seq;
  SELECT count(*) INTO left_over FROM legacy_import_bulk_ddl WHERE xact = pg_current_xact_id();
  RETURN left_over;
END $$;

-- Down Migration
DROP FUNCTION legacy_import_bulk_build_next();
DROP FUNCTION legacy_import_bulk_begin(regclass[]);
DROP TABLE legacy_import_bulk_ddl;
DROP FUNCTION legacy_import_bulk_unfinished();
