-- Sync state. A synced folder keeps its own database in <folder>/.tote/, so these tables describe
-- exactly one sync root: the three trees the planner compares (remote, synced, and the local one it
-- scans afresh) and where the change feed left off. Paths are relative to the root, '/'-separated,
-- as spelled; *_key columns hold the case- and normalization-folded form that decides identity.

-- The link between this folder and the account: one row.
CREATE TABLE sync_root (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  endpoint    TEXT    NOT NULL,
  remote_root TEXT    NOT NULL,  -- remote folder this folder mirrors, e.g. '/' or '/Photos'
  device_name TEXT    NOT NULL,  -- names this device's conflicted copies
  cursor      TEXT,              -- change-feed cursor; NULL until the remote tree was first listed
  linked_at   INTEGER NOT NULL
);

-- The remote tree as the change feed and listings told it. Deleted files stay as tombstones (and
-- files that left the remote root as 'gone') so an older entry delivered late cannot revive them.
CREATE TABLE remote_files (
  file_id      TEXT    PRIMARY KEY,
  path         TEXT    NOT NULL,
  path_key     TEXT    NOT NULL,
  revision     INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  live         INTEGER NOT NULL  -- 1: a file under the remote root; 0: deleted or moved out of it
) WITHOUT ROWID;

CREATE INDEX remote_files_by_key ON remote_files (path_key) WHERE live = 1;

-- The synced tree: the last state both sides agreed on, per remote file. A file is identified by
-- its remote id, so a rename on either side is one update of its row.
CREATE TABLE synced_files (
  file_id      TEXT    PRIMARY KEY,
  path         TEXT    NOT NULL,
  path_key     TEXT    NOT NULL UNIQUE,
  revision     INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  -- Local identity of the file when it was last synced (all 0 when unknown: hash it again).
  mtime_ns     INTEGER NOT NULL,
  ctime_ns     INTEGER NOT NULL,
  inode        INTEGER NOT NULL,
  device       INTEGER NOT NULL,
  synced_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX synced_files_by_inode ON synced_files (inode, device);
CREATE INDEX synced_files_by_hash ON synced_files (content_hash);
