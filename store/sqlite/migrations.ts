/**
 * Schema history. Applied in order at start, each in its own transaction; never edit one that has
 * shipped, add the next.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'partners, solutions, offers, audit trail, bot state',
    sql: `
      CREATE TABLE partner_accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        partner_ids TEXT NOT NULL,
        cloud_partner_program_active INTEGER NOT NULL,
        marketplace_enrolled INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE members (
        user_id TEXT PRIMARY KEY,
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        tenant_id TEXT,
        aad_object_id TEXT,
        user_principal_name TEXT
      ) STRICT;
      CREATE UNIQUE INDEX members_by_aad_object ON members(tenant_id, aad_object_id) WHERE aad_object_id IS NOT NULL;
      CREATE INDEX members_by_upn ON members(tenant_id, lower(user_principal_name)) WHERE user_principal_name IS NOT NULL;

      CREATE TABLE solutions (
        id TEXT PRIMARY KEY,
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        partner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        co_sell_status TEXT NOT NULL,
        open_referrals INTEGER NOT NULL,
        collateral_documents INTEGER NOT NULL,
        status TEXT NOT NULL,
        status_changed_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 0,
        -- The list order of domain/status.ts LIST_ORDER; a test keeps the two in step.
        list_rank INTEGER GENERATED ALWAYS AS (CASE status
          WHEN 'pendingAction' THEN 0
          WHEN 'migratedAsDraft' THEN 1
          WHEN 'awaitingNewOffer' THEN 2
          WHEN 'mergeRequested' THEN 3
          WHEN 'merged' THEN 4
          WHEN 'discarded' THEN 5
          ELSE 6 END) VIRTUAL
      ) STRICT;
      CREATE INDEX solutions_in_list_order ON solutions(partner_account_id, list_rank, name, id);

      -- Kept by triggers so that a list turn costs a page, not the partner's whole catalogue.
      CREATE TABLE solution_status_counts (
        partner_account_id TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (partner_account_id, status)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER solutions_counted_on_insert AFTER INSERT ON solutions BEGIN
        INSERT INTO solution_status_counts (partner_account_id, status, n) VALUES (NEW.partner_account_id, NEW.status, 1)
          ON CONFLICT (partner_account_id, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER solutions_counted_on_update AFTER UPDATE OF status, partner_account_id ON solutions BEGIN
        UPDATE solution_status_counts SET n = n - 1 WHERE partner_account_id = OLD.partner_account_id AND status = OLD.status;
        INSERT INTO solution_status_counts (partner_account_id, status, n) VALUES (NEW.partner_account_id, NEW.status, 1)
          ON CONFLICT (partner_account_id, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER solutions_counted_on_delete AFTER DELETE ON solutions BEGIN
        UPDATE solution_status_counts SET n = n - 1 WHERE partner_account_id = OLD.partner_account_id AND status = OLD.status;
      END;

      CREATE TABLE audit_entries (
        id INTEGER PRIMARY KEY,
        partner_account_id TEXT NOT NULL,
        solution_id TEXT NOT NULL REFERENCES solutions(id),
        actor_user_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        from_status TEXT NOT NULL,
        to_status TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_entries_by_solution ON audit_entries(solution_id, id);

      CREATE TABLE offers (
        id TEXT PRIMARY KEY,
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        publisher_id TEXT NOT NULL,
        offer_id TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        storefront TEXT NOT NULL,
        listing_url TEXT,
        publishing_state TEXT NOT NULL,
        UNIQUE (publisher_id, offer_id)
      ) STRICT;
      CREATE INDEX offers_by_partner ON offers(partner_account_id, publishing_state, name);

      CREATE TABLE bot_state (
        key TEXT PRIMARY KEY,
        etag INTEGER NOT NULL,
        document TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'merge requests to partner support, outbox',
    sql: `
      CREATE TABLE support_requests (
        id TEXT PRIMARY KEY,
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        solution_id TEXT NOT NULL REFERENCES solutions(id),
        offer_type TEXT NOT NULL,
        offer_name TEXT NOT NULL,
        ocp_solution_id TEXT NOT NULL,
        listing_url TEXT NOT NULL,
        offer_id TEXT,
        requested_by_user_id TEXT NOT NULL,
        requested_by_name TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL,
        info_needed TEXT,
        info_requested_at INTEGER,
        info_requested_by TEXT,
        completed_at INTEGER,
        completed_by TEXT,
        requester_address TEXT
      ) STRICT;
      -- At most one request in progress per solution, whatever races to create one.
      CREATE UNIQUE INDEX support_requests_one_open_per_solution ON support_requests(solution_id) WHERE state <> 'completed';

      -- Messages to send once the change that caused them is committed.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        dedupe_key TEXT NOT NULL UNIQUE,
        ordering_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX outbox_pending_by_time ON outbox(next_attempt_at, id) WHERE state = 'pending';
      CREATE INDEX outbox_pending_by_key ON outbox(ordering_key, id) WHERE state = 'pending';
    `,
  },
  {
    version: 3,
    name: 'certification changes, subscriptions, new-offer watchers, outbox pacing',
    sql: `
      CREATE TABLE subscriptions (
        conversation_key TEXT NOT NULL,
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        address TEXT NOT NULL,
        locale TEXT NOT NULL,
        tenant_id TEXT,
        team_id TEXT,
        subscribed_by_user_id TEXT NOT NULL,
        subscribed_by_name TEXT NOT NULL,
        subscribed_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_key, partner_account_id)
      ) STRICT;
      CREATE INDEX subscriptions_by_partner ON subscriptions(partner_account_id);
      CREATE INDEX subscriptions_by_team ON subscriptions(team_id) WHERE team_id IS NOT NULL;

      CREATE TABLE certification_changes (
        id INTEGER PRIMARY KEY,
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        offer_id TEXT NOT NULL REFERENCES offers(id),
        status TEXT NOT NULL,
        detail TEXT,
        report_url TEXT,
        source TEXT NOT NULL,
        idempotency_key TEXT UNIQUE,
        received_at INTEGER NOT NULL
      ) STRICT;

      -- Who waits for a new offer for a solution, and where to tell them it is live.
      CREATE TABLE new_offer_watchers (
        solution_id TEXT PRIMARY KEY REFERENCES solutions(id),
        user_id TEXT NOT NULL,
        address TEXT NOT NULL,
        conversation_key TEXT NOT NULL,
        locale TEXT NOT NULL,
        tenant_id TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE outbox ADD COLUMN pace_conversation TEXT;
      ALTER TABLE outbox ADD COLUMN pace_tenant TEXT;
    `,
  },
  {
    version: 4,
    name: 'conversation references: where the bot is installed',
    sql: `
      CREATE TABLE conversation_references (
        conversation_key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        address TEXT NOT NULL,
        locale TEXT NOT NULL,
        tenant_id TEXT,
        team_id TEXT,
        installed_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversation_references_by_team ON conversation_references(team_id) WHERE team_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'user preferences: the language each user chose',
    sql: `
      CREATE TABLE user_preferences (
        user_key TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'partner tenants, inventory imports and their audit trail',
    sql: `
      CREATE TABLE partner_tenants (
        partner_account_id TEXT NOT NULL REFERENCES partner_accounts(id),
        tenant_id TEXT NOT NULL,
        PRIMARY KEY (partner_account_id, tenant_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX partner_tenants_by_tenant ON partner_tenants(tenant_id);
      -- Imported members may come without a tenant: found then by object id or UPN alone.
      CREATE INDEX members_by_aad_object_only ON members(aad_object_id) WHERE aad_object_id IS NOT NULL;
      CREATE INDEX members_by_upn_only ON members(lower(user_principal_name)) WHERE user_principal_name IS NOT NULL;

      CREATE TABLE import_runs (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        files TEXT NOT NULL,
        summary TEXT NOT NULL
      ) STRICT;

      -- One entry per row an import added or updated: the audit trail of imports.
      CREATE TABLE import_changes (
        run_id INTEGER NOT NULL REFERENCES import_runs(id),
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        outcome TEXT NOT NULL,
        fields TEXT NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX import_changes_by_key ON import_changes(kind, key);
    `,
  },
  {
    version: 7,
    name: 'Partner Center sync: product ids of offers, and how the sync of each account stands',
    sql: `
      ALTER TABLE offers ADD COLUMN partner_center_product_id TEXT;

      CREATE TABLE partner_center_sync (
        -- No reference to partner_accounts: a sync for an account not imported yet fails, and says so here.
        partner_account_id TEXT PRIMARY KEY,
        baseline_at INTEGER,
        last_success_at INTEGER,
        last_error_at INTEGER,
        last_error TEXT,
        offers INTEGER
      ) STRICT;
    `,
  },
  {
    // Gaps are fine: applyMigrations runs whatever version a store has not recorded, in order.
    version: 9,
    name: 'idempotency keys scoped by source, with a digest of what each was given for',
    sql: `
      ALTER TABLE certification_changes ADD COLUMN idempotency_digest TEXT;
      -- Keys were the API's alone; from now on each source of changes has its own.
      UPDATE certification_changes SET idempotency_key = source || ':' || idempotency_key WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    // 8 is taken by work on another branch.
    version: 10,
    name: 'outbox: when sends were answered, per conversation and tenant, for pacing after a restart',
    sql: `
      CREATE INDEX outbox_sent_by_conversation ON outbox(pace_conversation, finished_at) WHERE finished_at IS NOT NULL;
      CREATE INDEX outbox_sent_by_tenant ON outbox(pace_tenant, finished_at) WHERE finished_at IS NOT NULL;
    `,
  },
  {
    // 11 is left to work on another branch.
    version: 12,
    name: 'the offer a solution awaiting a new offer waits for, on the solution and in its audit trail',
    sql: `
      ALTER TABLE solutions ADD COLUMN awaited_offer_id TEXT;
      ALTER TABLE solutions ADD COLUMN awaited_offer_name TEXT;
      ALTER TABLE audit_entries ADD COLUMN awaited_offer_id TEXT;
      ALTER TABLE audit_entries ADD COLUMN awaited_offer_name TEXT;
    `,
  },
  {
    version: 13,
    name: 'conversation preferences: the language a channel or group chat chose for everything posted there',
    sql: `
      CREATE TABLE conversation_preferences (
        conversation_key TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 14,
    name: 'retention: what the pruner walks and checks by',
    sql: `
      -- A change stays while a job queued with it is pending.
      CREATE INDEX outbox_pending_by_creation ON outbox(created_at) WHERE state = 'pending';
      -- Each offer's newest change stays: the Partner Center sync keys the next one by it.
      CREATE INDEX certification_changes_by_offer ON certification_changes(offer_id, id);
      -- An import run's changes go before the run.
      CREATE INDEX import_changes_by_run ON import_changes(run_id);
    `,
  },
  {
    version: 15,
    name: 'import runs: applying, done, failed, or interrupted by a stop while applying',
    // An import is applied in batches, each its own transaction: a run shows how far it came.
    sql: `
      ALTER TABLE import_runs ADD COLUMN state TEXT NOT NULL DEFAULT 'done'
        CHECK (state IN ('applying', 'done', 'failed', 'interrupted'));
    `,
  },
];
