-- A file's content hash is now computed from its chunk digests (contract/content-hash.ts) instead
-- of over its bytes: the manifests remembered for local files carry the old kind, so they are
-- forgotten (a cache: each file is hashed again the next time it is needed).
DELETE FROM local_files;

-- Uploads are open from this version: the session starts before the file is read to its end, so its
-- content hash and chunk count are not known when it is recorded (the commit brings them). Confirmed
-- chunks are found by where they went (endpoint and remote target), so a rerun opens a new session
-- and still skips every chunk an unfinished upload to the same place had confirmed.
ALTER TABLE uploads DROP COLUMN content_hash;
ALTER TABLE uploads DROP COLUMN chunk_count;
CREATE INDEX uploads_by_target ON uploads (endpoint, remote_path);
