-- Workflow locks. Plain SQL that H2 2.x and PostgreSQL 12+ both run unchanged.

-- One row per grid cell in which a located grievance was ever submitted. A submission locks the rows
-- of the cells around it (SELECT ... FOR UPDATE, in key order) before it looks for nearby grievances,
-- so two submissions of one place are serialised by the database and the later one sees the earlier
-- one. Rows are added on first use; they hold no data.
CREATE TABLE area_lock (
  cell VARCHAR(80) PRIMARY KEY
);
