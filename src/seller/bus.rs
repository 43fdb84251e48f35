//! How the listing screens tell a running lesson which control was used:
//! the tutor provides the bus, the screens speak on it (and, with no lesson
//! running, to no one).

use leptos::prelude::*;

/// The control the learner just used, for the tutor to check against its step.
#[derive(Clone, Copy)]
pub struct TutorBus(pub RwSignal<Option<(&'static str, u32)>>);

/// The running lesson's bus, if any; take it while rendering (event
/// handlers run outside the component tree).
pub fn tutor_bus() -> Option<TutorBus> {
    use_context::<TutorBus>()
}

/// Tells a running lesson (if any) that the control `id` was used.
pub fn act(bus: Option<TutorBus>, id: &'static str) {
    if let Some(bus) = bus {
        bus.0.update(|last| {
            let n = last.map_or(0, |(_, n)| n + 1);
            *last = Some((id, n));
        });
    }
}
