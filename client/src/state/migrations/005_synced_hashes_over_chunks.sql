-- A file's content hash is now SHA-256 over its chunk digests (contract/content-hash.ts), no longer
-- SHA-256 of the whole file, and the service migrated the hashes it stores (local_files was cleared
-- by 004).

-- A synced folder's trees hold old hashes. The remote tree is listed again (a relisting, as after a
-- cursor reset: the service's hashes are the new ones). The synced tree's rows listed here still
-- hold an old hash; the engine translates them before it plans again (sync/hash-upgrade.ts).
CREATE TABLE legacy_synced_hashes (
  file_id TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO legacy_synced_hashes (file_id) SELECT file_id FROM synced_files;
UPDATE sync_root SET cursor = NULL;
