-- Live lectures live in the database, so that a trainer on one server and
-- phones on another follow the same room, and a restart doesn't end it.
CREATE TABLE lecture (
    code        TEXT    PRIMARY KEY,
    hub_id      INTEGER NOT NULL REFERENCES hub(id),
    trainer_id  INTEGER NOT NULL REFERENCES account(id),
    lesson      INTEGER NOT NULL,
    step        INTEGER NOT NULL,
    -- 1 while the trainer has blanked the projector.
    blank       INTEGER NOT NULL DEFAULT 0 CHECK (blank IN (0, 1)),
    -- When the trainer last opened or moved it; it closes 6 hours later.
    touched_at  TEXT    NOT NULL
);
CREATE INDEX lecture_trainer ON lecture (trainer_id, touched_at);

-- The phones that joined a room, and the steps each finished.
CREATE TABLE lecture_phone (
    code   TEXT NOT NULL REFERENCES lecture(code) ON DELETE CASCADE,
    phone  TEXT NOT NULL,
    PRIMARY KEY (code, phone)
);

CREATE TABLE lecture_done (
    code    TEXT    NOT NULL REFERENCES lecture(code) ON DELETE CASCADE,
    lesson  INTEGER NOT NULL,
    step    INTEGER NOT NULL,
    phone   TEXT    NOT NULL,
    PRIMARY KEY (code, lesson, step, phone)
);
