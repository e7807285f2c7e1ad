-- Officials' tokens expire and can be revoked; the register remembers when each was last used.
-- Grievances get an opaque tracking id for the public (numeric ids stay for officials).
-- Plain SQL that H2 2.x and PostgreSQL 12+ both run unchanged.

ALTER TABLE official ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE official ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE official ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;

-- 128 random bits as 26 base32 characters. Neither database has a portable random-string function,
-- so rows from before this migration get theirs from the service at start-up
-- (GrievanceWorkflow.assignTrackingIds); a unique index allows the NULLs until then.
ALTER TABLE grievance ADD COLUMN tracking_id VARCHAR(26);
CREATE UNIQUE INDEX grievance_tracking_id ON grievance (tracking_id);
