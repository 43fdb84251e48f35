//! The tutor's live lectures: a trainer's current step, followed by the
//! phones in the room; and the narration clips trainers record.

use serde::{Deserialize, Serialize};

/// What every phone of a lecture sees, sent on each change (server-sent events).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LectureState {
    /// The room code the phones typed or scanned: four digits.
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

/// Whether `code` is a room code: four digits.
pub fn is_room_code(code: &str) -> bool {
    code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `clip` names a narration clip: `l{lesson}s{step}` or a hint,
/// lowercase letters, digits and dashes.
pub fn is_clip_name(clip: &str) -> bool {
    (2..=40).contains(&clip.len())
        && clip
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_clips() {
        assert!(is_room_code("0427"));
        assert!(!is_room_code("42a7"));
        assert!(!is_room_code("04271"));
        assert!(is_clip_name("l1-s2"));
        assert!(!is_clip_name("../x"));
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
