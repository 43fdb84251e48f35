//! Answers many routes share, documented once: `#[utoipa::path]` blocks
//! list these sets among their responses, beside their own.

use std::collections::BTreeMap;

use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// Error answers (an `ApiError` body) with their statuses and descriptions.
fn errors(list: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    list.iter()
        .map(|(status, description)| {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content("application/json", content)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

macro_rules! response_sets {
    ($($(#[$doc:meta])* $name:ident: [$(($status:literal, $description:literal)),+];)+) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl utoipa::IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    errors(&[$(($status, $description)),+])
                }
            }
        )+
    };
}

response_sets! {
    /// A route for signed-in accounts.
    SignedIn: [(401, "Not signed in")];
    /// A route of the service center (`Operator`).
    Operators: [(401, "Not signed in"), (403, "Not an operator")];
    /// A route of the platform admin (`Admin`).
    Admins: [(401, "Not signed in"), (403, "Not a platform admin")];
    /// A route of a family's phone (`FamilySession`).
    Families: [(401, "Not signed in"), (403, "Not a family")];
    /// A route of the trainers (`Trainer`).
    Trainers: [(401, "Not signed in"), (403, "Not a trainer")];
    /// A route with a path or query to read (`PathOf`, `QueryOf`).
    Malformed: [(400, "Malformed path, query or body")];
    /// A route with a JSON body (`JsonBody`).
    Json: [(400, "Malformed path, query or body"), (415, "The body must be application/json")];
    /// A route whose body's fields are checked.
    Invalid: [(422, "Invalid fields")];
}
