//! The address bar as signals, shared by the three apps: links to the app's
//! own pages are followed without reloading, Back and Forward work, and a
//! page reads its parameters (`/product/:id`) and query (`?kind=eggs`) from
//! the address. Which paths are whose, and how a pattern matches, are
//! `bazar_api::pages`' rules, the same the server answers pages by.

use bazar_api::pages::{App, match_route};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// A page of an app: the pattern of its path and what it shows.
pub struct Route {
    pattern: &'static str,
    page: fn() -> AnyView,
}

impl Route {
    pub const fn new(pattern: &'static str, page: fn() -> AnyView) -> Self {
        Route { pattern, page }
    }
}

/// The current address: its path, and its query without the `?`.
#[derive(Clone, Copy)]
struct Address {
    path: RwSignal<String>,
    query: RwSignal<String>,
}

impl Address {
    /// Takes the path and query from the window's location.
    fn sync(self) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        let search = location.search().unwrap_or_default();
        let query = search.trim_start_matches('?');
        if self.path.with_untracked(|p| *p != path) {
            self.path.set(path);
        }
        if self.query.with_untracked(|q| q != query) {
            self.query.set(query.to_string());
        }
    }

    /// Goes to `url` (a path with its query), as a new entry of the history,
    /// at the top of the new page.
    fn push(self, url: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(history) = window.history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
        }
        self.sync();
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Makes the window's address `app`'s to follow: call once, at its root,
/// before [`Routes`] and the pages read it.
pub fn provide_router(app: App) {
    let address = Address {
        path: RwSignal::new(String::new()),
        query: RwSignal::new(String::new()),
    };
    address.sync();
    provide_context(address);
    // The listeners last as long as the page: the app never unmounts.
    let _ = window_event_listener(leptos::ev::popstate, move |_| address.sync());
    let _ = window_event_listener(leptos::ev::click, move |ev| {
        if let Some(url) = own_link(&ev, app) {
            ev.prevent_default();
            address.push(&url);
        }
    });
}

/// The address a plain click on a link to one of `app`'s pages goes to.
/// Clicks with a modifier key (a new tab), links with a target or to
/// download, other origins and apps, and a jump within this same page are
/// left to the browser.
fn own_link(ev: &web_sys::MouseEvent, app: App) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let anchor = target.closest("a[href]").ok()??;
    if anchor.has_attribute("download")
        || anchor
            .get_attribute("target")
            .is_some_and(|t| !t.is_empty() && t != "_self")
    {
        return None;
    }
    let location = web_sys::window()?.location();
    let url = web_sys::Url::new_with_base(&anchor.get_attribute("href")?, &location.href().ok()?).ok()?;
    let path = url.pathname();
    if url.origin() != location.origin().ok()? || !app.owns(&path) {
        return None;
    }
    let same_page = location.pathname().ok()? == path && location.search().ok()? == url.search();
    if same_page && !url.hash().is_empty() {
        return None;
    }
    Some(format!("{path}{}{}", url.search(), url.hash()))
}

/// The current page's parameters, by name.
#[derive(Clone, Default, PartialEq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }
}

/// The current address's query (`kind=eggs&q=%E8%9C%82`).
#[derive(Clone, Default, PartialEq)]
pub struct Query(String);

impl Query {
    /// The decoded value of `name`, if the query has it.
    pub fn get(&self, name: &str) -> Option<String> {
        web_sys::UrlSearchParams::new_with_str(&self.0).ok()?.get(name)
    }
}

/// Shows the page of the first of `routes` whose pattern matches the path,
/// else `fallback`. A page stays while only its parameters or the query
/// change: it reads them from [`use_params`] and [`use_query`].
#[component]
pub fn Routes(routes: &'static [Route], fallback: fn() -> AnyView) -> impl IntoView {
    let address = expect_context::<Address>();
    let matched = Memo::new(move |_| {
        address.path.with(|path| {
            routes
                .iter()
                .enumerate()
                .find_map(|(i, route)| match_route(route.pattern, path).map(|p| (i, Params(p))))
        })
    });
    let page = Memo::new(move |_| matched.with(|m| m.as_ref().map(|(i, _)| *i)));
    let params = Memo::new(move |_| matched.with(|m| m.as_ref().map(|(_, p)| p.clone()).unwrap_or_default()));
    provide_context(params);
    move || match page.get() {
        Some(i) => (routes[i].page)(),
        None => fallback(),
    }
}

/// The parameters of the current page's pattern.
pub fn use_params() -> Memo<Params> {
    expect_context::<Memo<Params>>()
}

/// The current address's query.
pub fn use_query() -> Memo<Query> {
    let address = expect_context::<Address>();
    Memo::new(move |_| Query(address.query.get()))
}

/// Goes to another page of the app (a path with its query), as a link does.
pub fn use_navigate() -> impl Fn(&str) + Copy + 'static {
    let address = expect_context::<Address>();
    move |url: &str| address.push(url)
}
