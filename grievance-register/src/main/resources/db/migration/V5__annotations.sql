-- Officials' reviewed boxes: what is really in each photo, the register's training data.
-- Plain SQL that H2 2.x and PostgreSQL 12+ both run unchanged.

-- One row per grievance whose boxes an official has edited. `boxes` is a JSON array in the pixels of
-- the stored (upright, displayed) photo: [{"class": "pothole", "box": {"xmin": 1, "ymin": 2,
-- "xmax": 30, "ymax": 40}}, ...]; an empty array means "nothing to detect here". Only rows with
-- reviewed = TRUE are training data; a row saved with reviewed = FALSE is work in progress.
CREATE TABLE annotation (
  grievance_id BIGINT PRIMARY KEY REFERENCES grievance (id),
  boxes VARCHAR(200000) NOT NULL,
  reviewed BOOLEAN NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_by VARCHAR(100) NOT NULL,
  reviewed_at TIMESTAMP WITH TIME ZONE,
  reviewed_by VARCHAR(100)
);

CREATE INDEX annotation_reviewed ON annotation (reviewed, reviewed_at);

-- How much reviewing this photo would teach the model (higher first in the review queue), computed
-- from the detections when the grievance is tagged. Rows from before this migration get theirs
-- from the service at start-up; NULL sorts last until then.
ALTER TABLE grievance ADD COLUMN review_priority DOUBLE PRECISION;
CREATE INDEX grievance_review_priority ON grievance (review_priority);
