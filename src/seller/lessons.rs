//! The lessons, as data: each step names the screen it happens on, the
//! control the learner must tap (its `data-tutor`), a picture, one short
//! caption (which the narration says), the trainer's note, and its clip.

use super::texts::SellerTexts;

/// The practice screen a step happens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Lesson 0's playground: a big button, a long page, a back arrow, a camera.
    Playground,
    /// The seller home's tiles.
    Home,
    /// The listing screens, at this step of theirs.
    Sell(u8),
    Prepare,
    Money,
}

pub struct Step {
    pub screen: Screen,
    /// The control to tap: the `data-tutor` attribute of a real control.
    pub target: &'static str,
    pub pictogram: &'static str,
    pub caption: fn(&SellerTexts) -> &'static str,
    pub note: fn(&SellerTexts) -> &'static str,
    /// `public/audio/ug/{clip}.mp3`, or a trainer's recording of it.
    pub clip: &'static str,
}

pub struct Lesson {
    pub title: fn(&SellerTexts) -> &'static str,
    pub icon: &'static str,
    pub steps: &'static [Step],
    /// Ends with listing once more with the hints off.
    pub check: bool,
}

const fn step(
    screen: Screen,
    target: &'static str,
    pictogram: &'static str,
    caption: fn(&SellerTexts) -> &'static str,
    note: fn(&SellerTexts) -> &'static str,
    clip: &'static str,
) -> Step {
    Step {
        screen,
        target,
        pictogram,
        caption,
        note,
        clip,
    }
}

const CAMERA: &str = "/img/icons/camera.svg";
const SELL: &str = "/img/icons/sell.svg";
const NANG: &str = "/img/kinds/nang.svg";
const EGGS: &str = "/img/kinds/eggs.svg";
const NEXT: &str = "/img/icons/live.svg";
const WEEK: &str = "/img/icons/week.svg";
const MONEY: &str = "/img/icons/money.svg";
const PREPARE: &str = "/img/icons/prepare.svg";
const LEARN: &str = "/img/icons/learn.svg";

pub static LESSONS: [Lesson; 4] = [
    Lesson {
        title: |t| t.lesson0,
        icon: LEARN,
        check: false,
        steps: &[
            step(
                Screen::Playground,
                "l0-tap",
                LEARN,
                |t| t.c_tap,
                |t| t.n_generic,
                "l0-s0",
            ),
            step(
                Screen::Playground,
                "l0-scroll",
                LEARN,
                |t| t.c_scroll,
                |t| t.n_generic,
                "l0-s1",
            ),
            step(
                Screen::Playground,
                "l0-back",
                LEARN,
                |t| t.c_back,
                |t| t.n_generic,
                "l0-s2",
            ),
            step(
                Screen::Playground,
                "photo-take",
                CAMERA,
                |t| t.c_photo,
                |t| t.n_photo,
                "l0-s3",
            ),
        ],
    },
    Lesson {
        title: |t| t.lesson1,
        icon: NANG,
        check: true,
        steps: &[
            step(
                Screen::Home,
                "tile-sell",
                SELL,
                |t| t.c_sell,
                |t| t.n_generic,
                "l1-s0",
            ),
            step(
                Screen::Sell(0),
                "kind-nang",
                NANG,
                |t| t.c_nang,
                |t| t.n_generic,
                "l1-s1",
            ),
            step(
                Screen::Sell(1),
                "photo-take",
                CAMERA,
                |t| t.c_photo,
                |t| t.n_photo,
                "l1-s2",
            ),
            step(
                Screen::Sell(1),
                "next",
                NEXT,
                |t| t.c_next,
                |t| t.n_generic,
                "l1-s3",
            ),
            step(
                Screen::Sell(2),
                "qty-plus",
                NANG,
                |t| t.c_plus,
                |t| t.n_generic,
                "l1-s4",
            ),
            step(
                Screen::Sell(2),
                "next",
                NEXT,
                |t| t.c_next,
                |t| t.n_generic,
                "l1-s5",
            ),
            step(
                Screen::Sell(3),
                "key-5",
                NANG,
                |t| t.c_price5,
                |t| t.n_price,
                "l1-s6",
            ),
            step(
                Screen::Sell(3),
                "next",
                NEXT,
                |t| t.c_next,
                |t| t.n_price,
                "l1-s7",
            ),
            step(
                Screen::Sell(4),
                "send",
                NEXT,
                |t| t.c_send,
                |t| t.n_generic,
                "l1-s8",
            ),
        ],
    },
    Lesson {
        title: |t| t.lesson2,
        icon: EGGS,
        check: true,
        steps: &[
            step(
                Screen::Home,
                "tile-sell",
                SELL,
                |t| t.c_sell,
                |t| t.n_generic,
                "l2-s0",
            ),
            step(
                Screen::Sell(0),
                "kind-eggs",
                EGGS,
                |t| t.c_eggs,
                |t| t.n_generic,
                "l2-s1",
            ),
            step(
                Screen::Sell(1),
                "photo-take",
                CAMERA,
                |t| t.c_photo,
                |t| t.n_photo,
                "l2-s2",
            ),
            step(
                Screen::Sell(1),
                "next",
                NEXT,
                |t| t.c_next,
                |t| t.n_generic,
                "l2-s3",
            ),
            step(
                Screen::Sell(2),
                "capacity-weekly",
                WEEK,
                |t| t.c_weekly,
                |t| t.n_generic,
                "l2-s4",
            ),
            step(
                Screen::Sell(2),
                "qty-plus",
                EGGS,
                |t| t.c_plus,
                |t| t.n_generic,
                "l2-s5",
            ),
            step(
                Screen::Sell(2),
                "next",
                NEXT,
                |t| t.c_next,
                |t| t.n_generic,
                "l2-s6",
            ),
            step(
                Screen::Sell(3),
                "key-2",
                EGGS,
                |t| t.c_price2,
                |t| t.n_price,
                "l2-s7",
            ),
            step(
                Screen::Sell(3),
                "next",
                NEXT,
                |t| t.c_next,
                |t| t.n_price,
                "l2-s8",
            ),
            step(
                Screen::Sell(4),
                "send",
                NEXT,
                |t| t.c_send,
                |t| t.n_generic,
                "l2-s9",
            ),
        ],
    },
    Lesson {
        title: |t| t.lesson3,
        icon: MONEY,
        check: false,
        steps: &[
            step(
                Screen::Home,
                "tile-prepare",
                PREPARE,
                |t| t.c_prepare,
                |t| t.n_generic,
                "l3-s0",
            ),
            step(
                Screen::Prepare,
                "home",
                PREPARE,
                |t| t.c_home,
                |t| t.n_generic,
                "l3-s1",
            ),
            step(
                Screen::Home,
                "tile-money",
                MONEY,
                |t| t.c_money,
                |t| t.n_money,
                "l3-s2",
            ),
            step(Screen::Money, "home", MONEY, |t| t.c_home, |t| t.n_money, "l3-s3"),
        ],
    },
];

/// Every `data-tutor` a step may name, by the screen that shows it.
pub fn controls_of(screen: Screen) -> &'static [&'static str] {
    match screen {
        Screen::Playground => &["l0-tap", "l0-scroll", "l0-back", "photo-take"],
        Screen::Home => &["tile-sell", "tile-products", "tile-prepare", "tile-money"],
        Screen::Sell(0) => &["kind-nang", "kind-eggs", "kind-honey", "kind-other"],
        Screen::Sell(1) => &["photo-take", "photo-retake", "next", "back"],
        Screen::Sell(2) => &[
            "capacity-weekly",
            "capacity-stock",
            "qty-minus",
            "qty-plus",
            "next",
            "back",
        ],
        Screen::Sell(3) => &[
            "key-0",
            "key-1",
            "key-2",
            "key-3",
            "key-4",
            "key-5",
            "key-6",
            "key-7",
            "key-8",
            "key-9",
            "key-dot",
            "key-delete",
            "use-suggested",
            "next",
            "back",
        ],
        Screen::Sell(4) => &["send", "back"],
        Screen::Sell(_) => &[],
        Screen::Prepare | Screen::Money => &["home"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seller::texts::{EN, UG, ZH};

    #[test]
    fn the_server_knows_the_lessons_steps() {
        let steps: Vec<u32> = LESSONS.iter().map(|l| l.steps.len() as u32).collect();
        assert_eq!(
            steps,
            bazar_api::tutor::LESSON_STEPS,
            "bazar_api::tutor::LESSON_STEPS"
        );
        for (l, lesson) in LESSONS.iter().enumerate() {
            for step in lesson.steps {
                assert!(
                    bazar_api::tutor::is_clip_name(step.clip),
                    "lesson {l}: the server takes no recording of {}",
                    step.clip
                );
            }
        }
    }

    #[test]
    fn every_step_names_a_control_of_its_screen() {
        for (l, lesson) in LESSONS.iter().enumerate() {
            assert!(!lesson.steps.is_empty());
            for (s, step) in lesson.steps.iter().enumerate() {
                assert!(
                    controls_of(step.screen).contains(&step.target),
                    "lesson {l} step {s}: {} is not a control of {:?}",
                    step.target,
                    step.screen
                );
            }
        }
    }

    #[test]
    fn every_caption_and_note_exists_in_every_language() {
        for lesson in &LESSONS {
            for texts in [&UG, &ZH, &EN] {
                assert!(!(lesson.title)(texts).trim().is_empty());
                for step in lesson.steps {
                    assert!(!(step.caption)(texts).trim().is_empty());
                    assert!(!(step.note)(texts).trim().is_empty());
                }
            }
        }
    }

    #[test]
    fn every_step_has_uyghur_narration() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/audio/ug");
        for lesson in &LESSONS {
            for step in lesson.steps {
                let clip = root.join(format!("{}.mp3", step.clip));
                assert!(clip.is_file(), "{} is missing", clip.display());
            }
        }
        assert!(root.join("hint.mp3").is_file());
    }

    /// seller.html draws the first screen of the lessons that start on the
    /// seller's home before the app arrives (public/shell.js): the list of
    /// those lessons, the tiles and their texts must be the app's own, or
    /// the screen would change under the learner's eyes when the app mounts.
    #[test]
    fn the_sellers_shell_draws_the_lessons_that_start_at_home() {
        let html = include_str!("../../seller.html");
        let (_, template) = html.split_once("<template data-paths=\"").expect("a template");
        let paths: Vec<&str> = template[..template.find('"').unwrap()].split(' ').collect();
        let home_first: Vec<String> = LESSONS
            .iter()
            .enumerate()
            .filter(|(_, lesson)| lesson.steps[0].screen == Screen::Home)
            .map(|(i, _)| format!("/seller/learn/{i}"))
            .collect();
        assert!(!home_first.is_empty());
        assert_eq!(paths, home_first);
        let template = &template[..template.find("</template>").unwrap()];
        let tiles = crate::attribute_values(template, "data-tutor");
        assert_eq!(tiles, controls_of(Screen::Home));

        let keys = crate::assert_shell_speaks(
            html,
            "ug",
            &[("ug", UG.entries()), ("zh", ZH.entries()), ("en", EN.entries())],
        );
        assert_eq!(keys.len(), 6, "title, language and four tiles: {keys:?}");
    }

    #[test]
    fn clips_are_unique() {
        let mut clips: Vec<&str> = LESSONS
            .iter()
            .flat_map(|l| l.steps.iter().map(|s| s.clip))
            .collect();
        let all = clips.len();
        clips.sort_unstable();
        clips.dedup();
        assert_eq!(clips.len(), all);
    }
}
