-- A remote row written from the service's answer to this device's own change is ahead of the change
-- feed until the feed delivers that revision: a folder change read from the feed before then happened
-- before that change, so it must not move or delete the row (sync/remote-tree.ts).
ALTER TABLE remote_files ADD COLUMN ahead INTEGER NOT NULL DEFAULT 0;
