-- The engine's grade of each group (GroupRiskSnapshot v2): the worst watch-list grade among its material members, the
-- member that sets it, the exposure-weighted score, how many members are scored and how many material members are not
-- (the grade is provisional while any is). Null until the engine grades it.
ALTER TABLE group_snapshot
    ADD COLUMN watch_grade           text,
    ADD COLUMN watch_grade_member    text,
    ADD COLUMN weighted_score        integer,
    ADD COLUMN scored_members        integer NOT NULL DEFAULT 0,
    ADD COLUMN unscored_material_members integer NOT NULL DEFAULT 0;
