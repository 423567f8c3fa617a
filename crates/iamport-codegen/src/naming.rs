//! Rust names from spec names (heck), safe against keywords and odd characters.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// `UpperCamelCase` type name (`payment_status` → `PaymentStatus`).
pub fn type_name(s: &str) -> String {
    let name = spell_signs(s).to_upper_camel_case();
    if name.is_empty() {
        return "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// `snake_case` field or method name, before keyword escaping (`channelGroupId` → `channel_group_id`,
/// `customer_uid[]` → `customer_uid`).
pub fn field_ident_name(s: &str) -> String {
    let name = spell_signs(s).to_snake_case();
    if name.is_empty() {
        return "field".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// `SCREAMING_SNAKE_CASE` constant name.
pub fn const_name(s: &str) -> String {
    s.to_shouty_snake_case()
}

/// Whether `name` must be written as a raw identifier (`r#type`).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Leading signs are spelled out so that `-started` and `started` stay distinct.
fn spell_signs(s: &str) -> String {
    if let Some(rest) = s.strip_prefix('-') {
        format!("minus_{rest}")
    } else if let Some(rest) = s.strip_prefix('+') {
        format!("plus_{rest}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("getPaymentByImpUid"), "GetPaymentByImpUid");
        assert_eq!(type_name("payment.scheduled"), "PaymentScheduled");
        assert_eq!(type_name("-started"), "MinusStarted");
        assert_eq!(field_ident_name("channelGroupId"), "channel_group_id");
        assert_eq!(field_ident_name("customer_uid[]"), "customer_uid");
        assert_eq!(field_ident_name("extra[requester]"), "extra_requester");
        assert_eq!(field_ident_name("schedule-status"), "schedule_status");
        assert!(is_keyword(&field_ident_name("type")));
        assert_eq!(const_name("getToken"), "GET_TOKEN");
    }
}
