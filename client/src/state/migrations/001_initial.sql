-- Local state of the tote client. Sizes and offsets are bytes; times are epoch milliseconds
-- except file timestamps, which are nanoseconds as the file system reports them.

-- Files on this machine whose chunk list is known: read by `put` to skip rehashing an unchanged
-- file, and by `get` to copy chunks from disk instead of downloading them.
CREATE TABLE local_files (
  id           INTEGER PRIMARY KEY,
  path         TEXT    NOT NULL UNIQUE,  -- absolute
  size         INTEGER NOT NULL,
  mtime_ns     INTEGER NOT NULL,
  ctime_ns     INTEGER NOT NULL,
  inode        INTEGER NOT NULL,
  device       INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  recorded_at  INTEGER NOT NULL
);

CREATE TABLE local_chunks (
  file_id INTEGER NOT NULL REFERENCES local_files (id) ON DELETE CASCADE,
  idx     INTEGER NOT NULL,
  offset  INTEGER NOT NULL,
  size    INTEGER NOT NULL,
  hash    TEXT    NOT NULL,
  PRIMARY KEY (file_id, idx)
) WITHOUT ROWID;

CREATE INDEX local_chunks_by_hash ON local_chunks (hash);

-- Uploads started and not yet committed. The upload id is the service's (deterministic for the
-- same owner, path and content), so a rerun finds its session here.
CREATE TABLE uploads (
  upload_id    TEXT    PRIMARY KEY,
  endpoint     TEXT    NOT NULL,
  local_path   TEXT    NOT NULL,
  remote_path  TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  chunk_count  INTEGER NOT NULL,
  started_at   INTEGER NOT NULL
);

CREATE INDEX uploads_by_start ON uploads (started_at);

-- Chunks storage accepted for an upload (200, or 412: already there). Recorded the moment the PUT
-- returns, so a rerun after a crash never sends them again.
CREATE TABLE upload_chunks (
  upload_id    TEXT    NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
  hash         TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  confirmed_at INTEGER NOT NULL,
  PRIMARY KEY (upload_id, hash)
) WITHOUT ROWID;

-- Downloads in progress, keyed by their temp file; a rerun for the same file revision resumes.
CREATE TABLE downloads (
  temp_path    TEXT    PRIMARY KEY,
  dest_path    TEXT    NOT NULL,
  file_id      TEXT    NOT NULL,
  revision     INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  started_at   INTEGER NOT NULL
);

-- Chunks verified and written into a download's temp file.
CREATE TABLE download_chunks (
  temp_path TEXT    NOT NULL REFERENCES downloads (temp_path) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,
  offset    INTEGER NOT NULL,
  size      INTEGER NOT NULL,
  hash      TEXT    NOT NULL,
  PRIMARY KEY (temp_path, idx)
) WITHOUT ROWID;
