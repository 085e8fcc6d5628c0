-- Files others share with the account, mirrored in a synced folder under "Shared with me/<owner email>/"
-- (see sync/shared-files.ts). Own files leave these NULL.
ALTER TABLE remote_files ADD COLUMN owner_email TEXT;
ALTER TABLE remote_files ADD COLUMN role TEXT;  -- viewer | editor
ALTER TABLE remote_files ADD COLUMN name TEXT;  -- the file's own name, from which its place here is derived

CREATE INDEX remote_files_shared ON remote_files (owner_email) WHERE owner_email IS NOT NULL;
