-- When a promoted model's checkpoint was written (its training state's time), so that GET /api/model
-- shows it for a model unpacked from the store (whose files carry the unpacking time). NULL for
-- versions promoted before this migration and for models without a training state.
-- Plain SQL that H2 2.x and PostgreSQL 12+ both run unchanged.
ALTER TABLE model_version ADD COLUMN checkpoint_date TIMESTAMP WITH TIME ZONE;
