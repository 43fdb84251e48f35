//! Enums whose variants each have one name, the same in JSON, URLs and the
//! database: [`named!`](crate::named) writes the list once and makes the
//! serde names, `ALL`, `as_str` and `parse` from it.

/// Declares an enum from `Variant = "name",` lines (with their docs), with
/// the wire derives every contract type has, each variant renamed to its
/// name, and `ALL` (in declaration order), `as_str` and `parse`.
#[macro_export]
macro_rules! named {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every variant, in the order they are declared.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The variant's name in JSON, URLs and the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The variant a name stands for, if it stands for one.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::account::Role;
    use crate::center::{ListingStatus, RejectReason};
    use crate::order::{OrderStatus, PaymentMethod};
    use crate::{Capacity, ProductKind};

    /// Every name reads back as its variant, in JSON too, and nothing else does.
    fn round_trip<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        for v in all {
            assert_eq!(parse(as_str(*v)), Some(*v));
            assert_eq!(serde_json::to_value(v).unwrap(), as_str(*v));
        }
        assert_eq!(parse(""), None);
        assert_eq!(parse("Placed"), None, "names are lowercase");
    }

    #[test]
    fn every_name_is_its_variant_and_its_json() {
        round_trip(&Role::ALL, Role::as_str, Role::parse);
        round_trip(&ProductKind::ALL, ProductKind::as_str, ProductKind::parse);
        round_trip(&Capacity::ALL, Capacity::as_str, Capacity::parse);
        round_trip(&RejectReason::ALL, RejectReason::as_str, RejectReason::parse);
        round_trip(&ListingStatus::ALL, ListingStatus::as_str, ListingStatus::parse);
        round_trip(&OrderStatus::ALL, OrderStatus::as_str, OrderStatus::parse);
        round_trip(&PaymentMethod::ALL, PaymentMethod::as_str, PaymentMethod::parse);
        assert_eq!(OrderStatus::ALL.len(), 7);
    }
}
