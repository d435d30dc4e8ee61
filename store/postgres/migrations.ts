/**
 * The PostgreSQL schema's history, applied in order at start under an advisory lock; never edit one
 * that has shipped, add the next. The tables are those of the SQLite store, so that one set of row
 * mappers reads both: times are milliseconds since the epoch (bigint), lists and addresses JSON text.
 */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Where the store announces changes of what instances keep in memory (store/postgres/pgChanges.ts). */
export const CHANGES_CHANNEL = 'ocp_gtm_migration_bot_changes';

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'the store as SQLite has it at schema 7',
    sql: `
      CREATE TABLE partner_accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        partner_ids text NOT NULL,
        cloud_partner_program_active integer NOT NULL,
        marketplace_enrolled integer NOT NULL
      );
      CREATE TABLE partner_tenants (
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        tenant_id text NOT NULL,
        PRIMARY KEY (partner_account_id, tenant_id)
      );
      CREATE INDEX partner_tenants_by_tenant ON partner_tenants(tenant_id);

      CREATE TABLE members (
        user_id text PRIMARY KEY,
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        display_name text NOT NULL,
        role text NOT NULL,
        tenant_id text,
        aad_object_id text,
        user_principal_name text
      );
      CREATE UNIQUE INDEX members_by_aad_object ON members(tenant_id, aad_object_id) WHERE aad_object_id IS NOT NULL;
      CREATE INDEX members_by_upn ON members(tenant_id, lower(user_principal_name)) WHERE user_principal_name IS NOT NULL;
      CREATE INDEX members_by_aad_object_only ON members(aad_object_id) WHERE aad_object_id IS NOT NULL;
      CREATE INDEX members_by_upn_only ON members(lower(user_principal_name)) WHERE user_principal_name IS NOT NULL;

      CREATE TABLE solutions (
        id text PRIMARY KEY,
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        partner_id text NOT NULL,
        name text NOT NULL,
        co_sell_status text NOT NULL,
        open_referrals integer NOT NULL,
        collateral_documents integer NOT NULL,
        status text NOT NULL,
        status_changed_at bigint NOT NULL,
        version integer NOT NULL DEFAULT 0,
        -- The list order of domain/status.ts LIST_ORDER; a test keeps the two in step.
        list_rank smallint GENERATED ALWAYS AS (CASE status
          WHEN 'pendingAction' THEN 0
          WHEN 'migratedAsDraft' THEN 1
          WHEN 'awaitingNewOffer' THEN 2
          WHEN 'mergeRequested' THEN 3
          WHEN 'merged' THEN 4
          WHEN 'discarded' THEN 5
          ELSE 6 END) STORED
      );
      CREATE INDEX solutions_in_list_order ON solutions(partner_account_id, list_rank, name COLLATE "C", id);

      -- Kept by a trigger so that a list turn costs a page, not the partner's whole catalogue.
      CREATE TABLE solution_status_counts (
        partner_account_id text NOT NULL,
        status text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (partner_account_id, status)
      );
      CREATE FUNCTION count_solution_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE solution_status_counts SET n = n - 1
            WHERE partner_account_id = OLD.partner_account_id AND status = OLD.status;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO solution_status_counts (partner_account_id, status, n) VALUES (NEW.partner_account_id, NEW.status, 1)
            ON CONFLICT (partner_account_id, status) DO UPDATE SET n = solution_status_counts.n + 1;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER solutions_counted AFTER INSERT OR DELETE OR UPDATE OF status, partner_account_id ON solutions
        FOR EACH ROW EXECUTE FUNCTION count_solution_statuses();

      CREATE TABLE audit_entries (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        partner_account_id text NOT NULL,
        solution_id text NOT NULL REFERENCES solutions(id),
        actor_user_id text NOT NULL,
        actor_name text NOT NULL,
        at bigint NOT NULL,
        event text NOT NULL,
        from_status text NOT NULL,
        to_status text NOT NULL
      );
      CREATE INDEX audit_entries_by_solution ON audit_entries(solution_id, id);

      CREATE TABLE offers (
        id text PRIMARY KEY,
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        publisher_id text NOT NULL,
        offer_id text NOT NULL,
        type text NOT NULL,
        name text NOT NULL,
        storefront text NOT NULL,
        listing_url text,
        publishing_state text NOT NULL,
        partner_center_product_id text,
        UNIQUE (publisher_id, offer_id)
      );
      CREATE INDEX offers_by_partner ON offers(partner_account_id, publishing_state, name);

      CREATE TABLE bot_state (
        key text PRIMARY KEY,
        etag integer NOT NULL,
        document text NOT NULL,
        updated_at bigint NOT NULL
      );

      CREATE TABLE support_requests (
        id text PRIMARY KEY,
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        solution_id text NOT NULL REFERENCES solutions(id),
        offer_type text NOT NULL,
        offer_name text NOT NULL,
        ocp_solution_id text NOT NULL,
        listing_url text NOT NULL,
        offer_id text,
        requested_by_user_id text NOT NULL,
        requested_by_name text NOT NULL,
        requested_at bigint NOT NULL,
        due_at bigint NOT NULL,
        state text NOT NULL,
        info_needed text,
        info_requested_at bigint,
        info_requested_by text,
        completed_at bigint,
        completed_by text,
        requester_address text
      );
      -- At most one request in progress per solution, whatever races to create one.
      CREATE UNIQUE INDEX support_requests_one_open_per_solution ON support_requests(solution_id) WHERE state <> 'completed';

      -- Messages to send once the change that caused them is committed. An instance claims a job
      -- until claim_until; a job claimed by an instance that died is taken over after it.
      CREATE TABLE outbox (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        dedupe_key text NOT NULL UNIQUE,
        ordering_key text NOT NULL,
        payload text NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at bigint NOT NULL,
        last_status integer,
        last_error text,
        created_at bigint NOT NULL,
        finished_at bigint,
        pace_conversation text,
        pace_tenant text,
        -- What sends to Teams are paced by: one instance at a time sends under a key.
        pace_key text GENERATED ALWAYS AS (coalesce('tenant:' || pace_tenant, 'conversation:' || pace_conversation)) STORED,
        claimed_by text,
        claim_until bigint
      );
      CREATE INDEX outbox_pending_by_time ON outbox(next_attempt_at, id) WHERE state = 'pending';
      CREATE INDEX outbox_pending_by_key ON outbox(ordering_key, id) WHERE state = 'pending';
      CREATE INDEX outbox_sent_by_conversation ON outbox(pace_conversation, finished_at) WHERE finished_at IS NOT NULL;
      CREATE INDEX outbox_sent_by_tenant ON outbox(pace_tenant, finished_at) WHERE finished_at IS NOT NULL;

      -- Who sends under a pacing key now, and until when, unless they renew.
      CREATE TABLE sender_leases (
        pace_key text PRIMARY KEY,
        holder text NOT NULL,
        until bigint NOT NULL
      );

      -- Work one instance at a time does: the Partner Center sync, the simulator.
      CREATE TABLE leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        until bigint NOT NULL
      );

      CREATE TABLE subscriptions (
        conversation_key text NOT NULL,
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        address text NOT NULL,
        locale text NOT NULL,
        tenant_id text,
        team_id text,
        subscribed_by_user_id text NOT NULL,
        subscribed_by_name text NOT NULL,
        subscribed_at bigint NOT NULL,
        PRIMARY KEY (conversation_key, partner_account_id)
      );
      CREATE INDEX subscriptions_by_partner ON subscriptions(partner_account_id);
      CREATE INDEX subscriptions_by_team ON subscriptions(team_id) WHERE team_id IS NOT NULL;

      CREATE TABLE certification_changes (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        partner_account_id text NOT NULL REFERENCES partner_accounts(id),
        offer_id text NOT NULL REFERENCES offers(id),
        status text NOT NULL,
        detail text,
        report_url text,
        source text NOT NULL,
        idempotency_key text UNIQUE,
        idempotency_digest text,
        received_at bigint NOT NULL
      );
      CREATE INDEX certification_changes_by_offer ON certification_changes(offer_id);

      CREATE TABLE new_offer_watchers (
        solution_id text PRIMARY KEY REFERENCES solutions(id),
        user_id text NOT NULL,
        address text NOT NULL,
        conversation_key text NOT NULL,
        locale text NOT NULL,
        tenant_id text,
        created_at bigint NOT NULL
      );

      CREATE TABLE conversation_references (
        conversation_key text PRIMARY KEY,
        kind text NOT NULL,
        address text NOT NULL,
        locale text NOT NULL,
        tenant_id text,
        team_id text,
        installed_at bigint NOT NULL
      );
      CREATE INDEX conversation_references_by_team ON conversation_references(team_id) WHERE team_id IS NOT NULL;

      CREATE TABLE user_preferences (
        user_key text PRIMARY KEY,
        language text NOT NULL,
        updated_at bigint NOT NULL
      );

      CREATE TABLE import_runs (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at bigint NOT NULL,
        actor text NOT NULL,
        files text NOT NULL,
        summary text NOT NULL
      );
      CREATE TABLE import_changes (
        run_id integer NOT NULL REFERENCES import_runs(id),
        kind text NOT NULL,
        key text NOT NULL,
        outcome text NOT NULL,
        fields text NOT NULL,
        file text NOT NULL,
        line integer NOT NULL
      );
      CREATE INDEX import_changes_by_key ON import_changes(kind, key);

      CREATE TABLE partner_center_sync (
        partner_account_id text PRIMARY KEY,
        baseline_at bigint,
        last_success_at bigint,
        last_error_at bigint,
        last_error text,
        offers integer
      );
    `,
  },
  {
    version: 2,
    name: 'status counts kept per statement',
    // A row trigger updated one counter row per solution: within one transaction, an import of
    // 100,000 solutions left a chain of 100,000 versions of that row to walk, each time longer.
    // Per statement, with the rows it changed, an import's batch moves each counter once.
    sql: `
      DROP TRIGGER solutions_counted ON solutions;
      DROP FUNCTION count_solution_statuses();
      CREATE FUNCTION count_solution_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- One upsert of each counter's net change: +1 where a row came, -1 where it left.
        IF TG_OP = 'INSERT' THEN
          INSERT INTO solution_status_counts (partner_account_id, status, n)
            SELECT partner_account_id, status, count(*) FROM new_rows GROUP BY 1, 2
            ON CONFLICT (partner_account_id, status) DO UPDATE SET n = solution_status_counts.n + excluded.n;
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE solution_status_counts c SET n = c.n - gone.n
            FROM (SELECT partner_account_id, status, count(*) AS n FROM old_rows GROUP BY 1, 2) gone
            WHERE c.partner_account_id = gone.partner_account_id AND c.status = gone.status;
        ELSE
          -- Only rows whose status or account moved: other updates leave the counters alone, unlocked.
          INSERT INTO solution_status_counts (partner_account_id, status, n)
            SELECT account, status, sum(delta) FROM (
              SELECT o.partner_account_id AS account, o.status, -1 AS delta, n.partner_account_id AS to_account, n.status AS to_status
                FROM old_rows o JOIN new_rows n USING (id)
              UNION ALL
              SELECT n.partner_account_id, n.status, 1, o.partner_account_id, o.status
                FROM old_rows o JOIN new_rows n USING (id)
            ) moves
            WHERE account <> to_account OR status <> to_status
            GROUP BY 1, 2 HAVING sum(delta) <> 0
            ON CONFLICT (partner_account_id, status) DO UPDATE SET n = solution_status_counts.n + excluded.n;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER solutions_counted_insert AFTER INSERT ON solutions
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_solution_statuses();
      CREATE TRIGGER solutions_counted_delete AFTER DELETE ON solutions
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_solution_statuses();
      CREATE TRIGGER solutions_counted_update AFTER UPDATE ON solutions
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_solution_statuses();
    `,
  },
  {
    version: 3,
    name: 'the offer a solution awaiting a new offer waits for, on the solution and in its audit trail',
    sql: `
      ALTER TABLE solutions ADD COLUMN awaited_offer_id text;
      ALTER TABLE solutions ADD COLUMN awaited_offer_name text;
      ALTER TABLE audit_entries ADD COLUMN awaited_offer_id text;
      ALTER TABLE audit_entries ADD COLUMN awaited_offer_name text;
    `,
  },
  {
    version: 4,
    name: 'conversation preferences: the language a channel or group chat chose for everything posted there',
    sql: `
      CREATE TABLE conversation_preferences (
        conversation_key text PRIMARY KEY,
        language text NOT NULL,
        updated_at bigint NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'changes to members, partner accounts and languages announced, so that instances may keep them in memory',
    // Per statement and not per row: an import of 100,000 rows announces once. The schema is in the
    // payload because notifications are database-wide and several bots may share a database.
    sql: `
      CREATE FUNCTION announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${CHANGES_CHANNEL}', TG_TABLE_SCHEMA || ':' || TG_ARGV[0]);
        RETURN NULL;
      END $$;
      CREATE TRIGGER members_announced AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON members
        FOR EACH STATEMENT EXECUTE FUNCTION announce_change('partners');
      CREATE TRIGGER partner_accounts_announced AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_accounts
        FOR EACH STATEMENT EXECUTE FUNCTION announce_change('partners');
      CREATE TRIGGER partner_tenants_announced AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_tenants
        FOR EACH STATEMENT EXECUTE FUNCTION announce_change('partners');
      CREATE TRIGGER user_preferences_announced AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_preferences
        FOR EACH STATEMENT EXECUTE FUNCTION announce_change('user_preferences');
      CREATE TRIGGER conversation_preferences_announced AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON conversation_preferences
        FOR EACH STATEMENT EXECUTE FUNCTION announce_change('conversation_preferences');
    `,
  },
  {
    version: 6,
    name: 'a term for each holding of a sending lease, so that a sender knows when its count of a tenant is stale',
    // From a sequence and not the clock: an instance that lets a tenant go and takes it back gets
    // a new term however soon, and what another sent there in between is counted again.
    sql: `
      CREATE SEQUENCE sender_lease_terms;
      ALTER TABLE sender_leases ADD COLUMN term bigint NOT NULL DEFAULT nextval('sender_lease_terms');
    `,
  },
  {
    version: 7,
    name: 'retention: what the pruner walks and checks by',
    sql: `
      -- A change stays while a job queued with it is pending.
      CREATE INDEX outbox_pending_by_creation ON outbox(created_at) WHERE state = 'pending';
      -- Each offer's newest change stays: the Partner Center sync keys the next one by it.
      DROP INDEX certification_changes_by_offer;
      CREATE INDEX certification_changes_by_offer ON certification_changes(offer_id, id);
      -- An import run's changes go before the run.
      CREATE INDEX import_changes_by_run ON import_changes(run_id);
    `,
  },
  {
    version: 8,
    name: 'import runs: applying, done, failed, or interrupted by a stop while applying',
    // The same column as the embedded store's; here a run is applied in one transaction and is done or absent.
    sql: `
      ALTER TABLE import_runs ADD COLUMN state text NOT NULL DEFAULT 'done'
        CHECK (state IN ('applying', 'done', 'failed', 'interrupted'));
    `,
  },
];
