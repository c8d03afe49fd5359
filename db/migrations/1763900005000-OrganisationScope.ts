import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #17, who may touch which books: every user belongs to one organisation unit, a ledger and
 * its subtree (NULL = every ledger). To make "is this ledger in the caller's subtree" a cheap,
 * set-based test in SQL, each ledger keeps `path`, the ids of its ancestors and itself (root
 * first), maintained by triggers and GIN-indexed: `l.path @> ARRAY[$scope]`. Tokens may expire.
 */
export class OrganisationScope1763900005000 implements MigrationInterface {
  name = 'OrganisationScope1763900005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger ADD COLUMN path int[];
      WITH RECURSIVE tree AS (
        SELECT id, ARRAY[id] AS path FROM ledger WHERE parent_id IS NULL
        UNION ALL SELECT l.id, t.path || l.id FROM ledger l JOIN tree t ON l.parent_id = t.id)
      UPDATE ledger l SET path = tree.path FROM tree WHERE tree.id = l.id;
      ALTER TABLE ledger ALTER COLUMN path SET NOT NULL;
      CREATE INDEX ledger_path_gin ON ledger USING gin (path);

      -- A ledger's path is its parent's path and itself; a parent that lies below the ledger would
      -- make a cycle, which the federation tree must never have.
      CREATE FUNCTION ledger_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE parent_path int[];
      BEGIN
        IF NEW.parent_id IS NULL THEN
          NEW.path := ARRAY[NEW.id];
          RETURN NEW;
        END IF;
        SELECT path INTO parent_path FROM ledger WHERE id = NEW.parent_id;
        IF parent_path @> ARRAY[NEW.id] THEN
          RAISE EXCEPTION 'ledger % cannot sit under its own descendant %', NEW.id, NEW.parent_id USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent_path || NEW.id;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ledger_path_on_insert BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_set_path();
      CREATE TRIGGER ledger_path_on_move BEFORE UPDATE OF parent_id, id ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_set_path();
      -- A path written by hand would open someone's books to the wrong people: only the triggers set it.
      CREATE FUNCTION ledger_path_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.path IS DISTINCT FROM OLD.path AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id AND pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'ledger.path is kept by its triggers; change parent_id instead' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ledger_path_guard BEFORE UPDATE OF path ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_path_kept();
      -- Moving a ledger moves its subtree: each descendant's path gets the new prefix.
      CREATE FUNCTION ledger_move_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ledger SET path = NEW.path || path[array_position(path, NEW.id) + 1:]
        WHERE path @> ARRAY[NEW.id] AND id <> NEW.id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER ledger_path_subtree AFTER UPDATE OF parent_id ON ledger FOR EACH ROW
        WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION ledger_move_subtree();

      ALTER TABLE app_user ADD COLUMN scope_ledger_id int REFERENCES ledger(id);
      CREATE INDEX app_user_scope ON app_user (scope_ledger_id);
      ALTER TABLE api_token ADD COLUMN expires_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_token DROP COLUMN expires_at;
      ALTER TABLE app_user DROP COLUMN scope_ledger_id;
      DROP TRIGGER ledger_path_subtree ON ledger;
      DROP TRIGGER ledger_path_guard ON ledger;
      DROP TRIGGER ledger_path_on_move ON ledger;
      DROP TRIGGER ledger_path_on_insert ON ledger;
      DROP FUNCTION ledger_move_subtree(), ledger_path_kept(), ledger_set_path();
      ALTER TABLE ledger DROP COLUMN path;
    `);
  }
}
