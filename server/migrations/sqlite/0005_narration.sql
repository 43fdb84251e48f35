-- Narration a trainer recorded for a tutor step, in a language, for the
-- learners of their hub. The newest recording of a step replaces the older.

CREATE TABLE narration (
    hub_id       INTEGER NOT NULL REFERENCES hub(id),
    clip         TEXT    NOT NULL,
    lang         TEXT    NOT NULL CHECK (lang IN ('ug', 'zh', 'en')),
    mime         TEXT    NOT NULL,
    audio        BLOB    NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES account(id),
    recorded_at  TEXT    NOT NULL,
    PRIMARY KEY (hub_id, clip, lang)
);
