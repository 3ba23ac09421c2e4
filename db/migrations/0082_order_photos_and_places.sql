-- Up Migration
-- Photos and documents on an order, as Telegram keeps them: the file id the
-- bot can send again (an album on request) and the unique id that tells one
-- file from another, with who attached it, when, and at which stage.
CREATE TABLE order_attachments (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id       bigint NOT NULL REFERENCES orders (id),
  stage          text NOT NULL CONSTRAINT order_attachments_stage_known CHECK (stage IN ('appliance', 'before', 'after', 'document')),
  media          text NOT NULL CONSTRAINT order_attachments_media_known CHECK (media IN ('photo', 'document')),
  file_id        text NOT NULL CONSTRAINT order_attachments_file_id_length CHECK (char_length(file_id) BETWEEN 1 AND 300),
  file_unique_id text NOT NULL CONSTRAINT order_attachments_file_unique_id_length CHECK (char_length(file_unique_id) BETWEEN 1 AND 100),
  file_name      text CONSTRAINT order_attachments_file_name_length CHECK (char_length(file_name) BETWEEN 1 AND 255),
  added_by       bigint NOT NULL REFERENCES users (id),
  added_at       timestamptz NOT NULL DEFAULT now(),
  -- The same file sent twice (a redelivered album) is kept once.
  CONSTRAINT order_attachments_file_key UNIQUE (order_id, file_unique_id)
);
CREATE INDEX order_attachments_order_idx ON order_attachments (order_id, id);

-- Where the job is: the address pinned by staff (a location sent for the
-- order), and where the master checked in on arrival.
CREATE TABLE order_places (
  order_id   bigint NOT NULL REFERENCES orders (id),
  kind       text NOT NULL CONSTRAINT order_places_kind_known CHECK (kind IN ('pin', 'check_in')),
  latitude   double precision NOT NULL CONSTRAINT order_places_latitude_range CHECK (latitude BETWEEN -90 AND 90),
  longitude  double precision NOT NULL CONSTRAINT order_places_longitude_range CHECK (longitude BETWEEN -180 AND 180),
  -- A live location shared for a while (Telegram's live_period), not a single point.
  live       boolean NOT NULL DEFAULT false,
  set_by     bigint NOT NULL REFERENCES users (id),
  set_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, kind)
);

-- Down Migration
DROP TABLE order_places;
DROP TABLE order_attachments;
