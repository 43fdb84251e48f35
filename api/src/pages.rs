//! The addresses of the three single-page apps: which app a path belongs to,
//! which paths are pages rather than files, and the route patterns the apps
//! match their pages by. The server answers a page with its app's
//! index.html; each app follows links to its own pages without reloading.

/// The three apps, each built apart and served from its own folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    /// The shop, at `/`.
    Shop,
    /// The service center, at `/center`.
    Center,
    /// The sellers' app and tutor, at `/seller`.
    Seller,
}

impl App {
    /// The app a path belongs to.
    pub fn of(path: &str) -> App {
        match path.trim_start_matches('/').split('/').next().unwrap_or("") {
            "center" => App::Center,
            "seller" => App::Seller,
            _ => App::Shop,
        }
    }

    /// The folder of the built app (its index.html) in the dist folder.
    pub fn folder(self) -> &'static str {
        match self {
            App::Shop => "",
            App::Center => "center",
            App::Seller => "seller",
        }
    }

    /// Whether `path` is one of this app's pages.
    pub fn owns(self, path: &str) -> bool {
        is_page(path) && App::of(path) == self
    }
}

/// Paths without a file extension are pages of an app (`/`, `/product/12`);
/// the API's paths are not.
pub fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    let api = path == "/api" || path.starts_with("/api/");
    !api && (path == "/" || !last.contains('.') || last.ends_with(".html"))
}

/// The parameters of `path` if it matches `pattern`: its segments are
/// literal, `:name`, or a last `:name?` that may be absent. A trailing slash
/// does not matter.
pub fn match_route(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut params = Vec::new();
    let mut segments = path.trim_matches('/').split('/').filter(|s| !s.is_empty());
    for part in pattern.trim_matches('/').split('/').filter(|s| !s.is_empty()) {
        let segment = segments.next();
        match (part.strip_prefix(':'), segment) {
            (Some(name), Some(value)) => {
                params.push((name.trim_end_matches('?').to_string(), value.to_string()));
            }
            (Some(name), None) if name.ends_with('?') => {}
            (None, Some(value)) if value == part => {}
            _ => return None,
        }
    }
    segments.next().is_none().then_some(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_app_has_its_own_pages() {
        assert_eq!(App::of("/"), App::Shop);
        assert_eq!(App::of("/product/3"), App::Shop);
        assert_eq!(App::of("/center"), App::Center);
        assert_eq!(App::of("/center/order/BZ-ABCDEFGH"), App::Center);
        assert_eq!(App::of("/seller/learn/1"), App::Seller);
        assert_eq!(App::of("/centers"), App::Shop);
        assert_eq!(App::Seller.folder(), "seller");
        assert!(App::Shop.owns("/basket"));
        assert!(!App::Shop.owns("/seller"));
        assert!(App::Seller.owns("/seller/learn"));
        assert!(!App::Seller.owns("/"));
        assert!(!App::Shop.owns("/img/logo.svg"));
        assert!(!App::Shop.owns("/api/health"));
    }

    #[test]
    fn recognises_pages() {
        assert!(is_page("/"));
        assert!(is_page("/product/12"));
        assert!(is_page("/family/3/"));
        assert!(is_page("/index.html"));
        assert!(!is_page("/img/products/nang-1.svg"));
        assert!(!is_page("/bazar-0123456789abcdef_bg.wasm"));
        assert!(!is_page("/api/products"));
    }

    #[test]
    fn matches_routes() {
        let one = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(match_route("/", "/"), Some(vec![]));
        assert_eq!(match_route("/", "/shop"), None);
        assert_eq!(match_route("/shop", "/shop/"), Some(vec![]));
        assert_eq!(match_route("/product/:id", "/product/12"), Some(one("id", "12")));
        assert_eq!(match_route("/product/:id", "/product"), None);
        assert_eq!(match_route("/product/:id", "/product/12/more"), None);
        assert_eq!(match_route("/trace/:code?", "/trace"), Some(vec![]));
        assert_eq!(
            match_route("/trace/:code?", "/trace/AB12"),
            Some(one("code", "AB12"))
        );
        assert_eq!(
            match_route("/seller/learn/:lesson", "/seller/learn/2"),
            Some(one("lesson", "2"))
        );
        assert_eq!(match_route("/seller/learn/:lesson", "/seller/learnt/2"), None);
    }

    proptest! {
        /// A pattern of literals and parameters matches every path made by
        /// filling it in, and gives back what was filled in.
        #[test]
        fn a_filled_pattern_matches_with_its_values(
            parts in proptest::collection::vec(("[a-z]{1,6}", proptest::bool::ANY), 0..5),
            values in proptest::collection::vec("[A-Za-z0-9-]{1,8}", 5),
        ) {
            let mut pattern = String::new();
            let mut path = String::new();
            let mut expected = Vec::new();
            for (i, (name, is_param)) in parts.iter().enumerate() {
                if *is_param {
                    pattern.push_str(&format!("/:{name}{i}"));
                    path.push_str(&format!("/{}", values[i]));
                    expected.push((format!("{name}{i}"), values[i].clone()));
                } else {
                    pattern.push_str(&format!("/{name}"));
                    path.push_str(&format!("/{name}"));
                }
            }
            let path = if path.is_empty() { "/".to_string() } else { path };
            prop_assert_eq!(match_route(&pattern, &path), Some(expected));
            prop_assert_eq!(match_route(&pattern, &format!("{path}/extra")), None);
        }
    }
}
