//! The tutor's live lectures: a trainer's current step, followed by the
//! phones in the room; and the narration clips trainers record.

use serde::{Deserialize, Serialize};

/// What every phone of a lecture sees, sent on each change (server-sent events).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LectureState {
    /// The room code the phones typed or scanned: eight digits.
    pub code: String,
    /// The hub whose recorded narration the phones play.
    pub hub: String,
    pub lesson: u32,
    pub step: u32,
    /// The projector is blanked.
    pub blank: bool,
    /// Phones that joined.
    pub joined: u32,
    /// Phones that finished the current step.
    pub finished: u32,
}

/// A new lecture (`POST /api/lectures`), answered with how phones join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lecture {
    pub state: LectureState,
    /// The address the room's QR code opens on a phone.
    pub join_url: String,
    pub qr_svg: String,
}

/// `POST /api/lectures` and `POST /api/lectures/{code}/step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LectureStep {
    #[cfg_attr(feature = "openapi", schema(maximum = 20))]
    pub lesson: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 50))]
    pub step: u32,
    #[serde(default)]
    pub blank: bool,
}

/// `POST /api/lectures/{code}/join` and `/done`: a phone, by the random id it
/// keeps for the lecture (so a phone that reconnects is counted once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneReport {
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 64))]
    pub phone: String,
    /// For `done`: the step the phone finished.
    #[serde(default)]
    pub lesson: u32,
    #[serde(default)]
    pub step: u32,
}

impl PhoneReport {
    pub fn is_valid(&self) -> bool {
        (8..=64).contains(&self.phone.len())
            && self.phone.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
}

/// How many steps each lesson has, lesson by lesson: the server checks a
/// lecture's step and a recording's clip against it (the app's lesson table
/// is tested to match it).
pub const LESSON_STEPS: [u32; 4] = [4, 9, 10, 4];

/// Whether lesson `lesson` has a step `step`.
pub fn is_step(lesson: u32, step: u32) -> bool {
    usize::try_from(lesson)
        .ok()
        .and_then(|l| LESSON_STEPS.get(l))
        .is_some_and(|steps| step < *steps)
}

/// The digits of a room code: 10^8 codes, typed on a keypad as two groups
/// of four or scanned from the QR code.
pub const ROOM_CODE_LEN: usize = 8;

/// Whether `code` is a room code: eight digits.
pub fn is_room_code(code: &str) -> bool {
    code.len() == ROOM_CODE_LEN && code.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `clip` names a narration clip of the lesson table: a step's
/// `l{lesson}-s{step}`, or `hint` (said after a wrong tap).
pub fn is_clip_name(clip: &str) -> bool {
    if clip == "hint" {
        return true;
    }
    let Some((lesson, step)) = clip.strip_prefix('l').and_then(|rest| rest.split_once("-s")) else {
        return false;
    };
    // One spelling per number: no sign, no leading zero.
    let number = |s: &str| s.parse::<u32>().ok().filter(|n| n.to_string() == s);
    matches!((number(lesson), number(step)), (Some(l), Some(s)) if is_step(l, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_clips() {
        assert!(is_room_code("04271234"));
        assert!(
            !is_room_code("0427"),
            "four digits are far too few to be unguessable"
        );
        assert!(!is_room_code("0427a234"));
        assert!(!is_room_code("042712345"));
        assert!(is_clip_name("l1-s2"));
        assert!(is_clip_name("l2-s9"));
        assert!(is_clip_name("hint"));
        assert!(!is_clip_name("l2-s10"), "lesson 2 has ten steps");
        assert!(!is_clip_name("l4-s0"), "there are four lessons");
        assert!(!is_clip_name("l1-s02x"));
        assert!(!is_clip_name("l01-s1"));
        assert!(!is_clip_name("l1-s+1"));
        assert!(!is_clip_name("made-up-clip"));
        assert!(!is_clip_name("../x"));
        assert!(is_step(0, 3) && !is_step(0, 4) && !is_step(u32::MAX, 0));
        assert!(
            PhoneReport {
                phone: "abcdef123456".into(),
                lesson: 0,
                step: 0
            }
            .is_valid()
        );
        assert!(
            !PhoneReport {
                phone: "<script>".into(),
                lesson: 0,
                step: 0
            }
            .is_valid()
        );
    }
}
