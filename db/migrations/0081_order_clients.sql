-- Up Migration
-- The client in the loop. A dispatcher gets one personal link per order
-- (a Telegram deep link, ?start=<token>); only its SHA-256 is stored, so a
-- leaked database does not leak working links. A new link replaces the old.
CREATE TABLE order_client_links (
  order_id   bigint PRIMARY KEY REFERENCES orders (id),
  token_hash bytea NOT NULL CONSTRAINT order_client_links_token_hash_key UNIQUE
             CONSTRAINT order_client_links_token_hash_length CHECK (octet_length(token_hash) = 32),
  created_by bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT order_client_links_expiry_after_creation CHECK (expires_at > created_at)
);

-- Who opened an order's link: the Telegram user (users row, no role needed)
-- and the private chat the order's news goes to.
CREATE TABLE order_clients (
  order_id  bigint NOT NULL REFERENCES orders (id),
  user_id   bigint NOT NULL REFERENCES users (id),
  chat_id   bigint NOT NULL CONSTRAINT order_clients_chat_id_positive CHECK (chat_id > 0),
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, user_id)
);
CREATE INDEX order_clients_user_idx ON order_clients (user_id, linked_at DESC);

-- One rating per order, by a client of that order, once the work is done.
CREATE TABLE order_ratings (
  order_id   bigint PRIMARY KEY REFERENCES orders (id),
  user_id    bigint NOT NULL REFERENCES users (id),
  -- The master who did the work, fixed at rating time (reports group by it).
  master_id  bigint NOT NULL REFERENCES masters (id),
  score      smallint NOT NULL CONSTRAINT order_ratings_score_range CHECK (score BETWEEN 1 AND 5),
  comment    text CONSTRAINT order_ratings_comment_length CHECK (char_length(comment) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT order_ratings_client_fk FOREIGN KEY (order_id, user_id) REFERENCES order_clients (order_id, user_id)
);
CREATE INDEX order_ratings_master_idx ON order_ratings (master_id, created_at);

-- Down Migration
DROP TABLE order_ratings;
DROP TABLE order_clients;
DROP TABLE order_client_links;
