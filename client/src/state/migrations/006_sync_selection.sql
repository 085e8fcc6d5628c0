-- What this device leaves out of a synced folder, and the deletes it holds back (sync/selection.ts,
-- sync/delete-guard.ts). Other tote processes edit these tables while a daemon runs (`tote sync
-- <folder> --exclude ...`), so every such edit bumps sync_root.selection_version, which the running
-- daemon watches to plan again.

-- Remote folders this device does not sync (selective sync), relative to the sync root.
CREATE TABLE excluded_folders (
  path_key TEXT    PRIMARY KEY,
  path     TEXT    NOT NULL,
  added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Remote deletes a pass held back because too many synced files vanished here at once; they wait
-- for the user: `allowed` 1 lets them go ahead (a restore forgets their synced rows instead).
CREATE TABLE held_deletes (
  file_id TEXT    PRIMARY KEY,
  path    TEXT    NOT NULL,
  held_at INTEGER NOT NULL,
  allowed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

ALTER TABLE sync_root ADD COLUMN selection_version INTEGER NOT NULL DEFAULT 0;
