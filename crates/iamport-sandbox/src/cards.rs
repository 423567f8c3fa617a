//! The test cards: which card numbers approve, decline or fail, and how.
//!
//! Any other well-formed card number (`dddd-dddd-dddd-dddd`) approves. See the crate docs for
//! the table in prose.

/// What a card does when it is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardBehavior {
    /// Every charge is approved (`status: "paid"`).
    Approve,
    /// Every charge is declined: `code: 0`, `status: "failed"` with this `fail_reason`.
    Decline(&'static str),
    /// The first charge on a billing key is approved; every later charge on it (`again`,
    /// scheduled payments, retries) is declined with this `fail_reason`.
    ApproveThenDecline(&'static str),
    /// The card is refused before any payment exists: `code: -1` with this message (HTTP 200),
    /// as i'mport answers for card data the PG does not accept.
    Refuse(&'static str),
}

/// One row of the test-card table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestCard {
    /// The card number, as sent (`dddd-dddd-dddd-dddd`).
    pub number: &'static str,
    /// What charging it does.
    pub behavior: CardBehavior,
    /// A one-line description.
    pub description: &'static str,
}

/// `fail_reason` of the insufficient-funds card.
pub const INSUFFICIENT_FUNDS: &str = "잔액이 부족합니다. (insufficient funds)";
/// `fail_reason` of the expired-card card (and of a stored key whose expiry has passed).
pub const EXPIRED_CARD: &str = "유효기간이 만료된 카드입니다. (expired card)";
/// `fail_reason` of the stolen-card card.
pub const STOLEN_CARD: &str = "도난 또는 분실 신고된 카드입니다. (stolen card)";
/// `fail_reason` of the lost-card card.
pub const LOST_CARD: &str = "분실 신고된 카드입니다. (lost card)";
/// `fail_reason` of the limit-exceeded card.
pub const LIMIT_EXCEEDED: &str = "카드 한도가 초과되었습니다. (card limit exceeded)";
/// `fail_reason` of the generic-decline card.
pub const DO_NOT_HONOR: &str = "카드사에서 승인을 거절했습니다. (do not honor)";
/// `fail_reason` of the PG-outage card (Paymentwall's first answer before a fraud review).
pub const PG_INTERNAL_ERROR: &str = "(PG사 결제 장애) Internal error";
/// Message of the refused card (`code: -1`).
pub const CARD_AUTH_FAILED: &str = "카드정보 인증에 실패하였습니다.";
/// Message for a card whose expiry is in the past (`code: -1`, nothing charged).
pub const EXPIRY_IN_PAST: &str =
    "카드정보 인증에 실패하였습니다. (유효기간이 지난 카드입니다: expiry is in the past)";

/// The test cards. Numbers not listed approve.
pub const TEST_CARDS: &[TestCard] = &[
    TestCard {
        number: "4242-4242-4242-4242",
        behavior: CardBehavior::Approve,
        description: "VISA, always approves",
    },
    TestCard {
        number: "5555-5555-5555-4444",
        behavior: CardBehavior::Approve,
        description: "Mastercard, always approves",
    },
    TestCard {
        number: "4000-0000-0000-9995",
        behavior: CardBehavior::Decline(INSUFFICIENT_FUNDS),
        description: "declines: insufficient funds",
    },
    TestCard {
        number: "4000-0000-0000-0069",
        behavior: CardBehavior::Decline(EXPIRED_CARD),
        description: "declines: expired card (the issuer says so; the expiry sent may be in the future)",
    },
    TestCard {
        number: "4000-0000-0000-9979",
        behavior: CardBehavior::Decline(STOLEN_CARD),
        description: "declines: stolen card",
    },
    TestCard {
        number: "4000-0000-0000-9987",
        behavior: CardBehavior::Decline(LOST_CARD),
        description: "declines: lost card",
    },
    TestCard {
        number: "4000-0000-0000-9920",
        behavior: CardBehavior::Decline(LIMIT_EXCEEDED),
        description: "declines: card limit exceeded",
    },
    TestCard {
        number: "4000-0000-0000-0002",
        behavior: CardBehavior::Decline(DO_NOT_HONOR),
        description: "declines: generic decline",
    },
    TestCard {
        number: "4000-0000-0000-0119",
        behavior: CardBehavior::Decline(PG_INTERNAL_ERROR),
        description: "fails with a PG error, as Paymentwall does before a fraud review",
    },
    TestCard {
        number: "4000-0000-0000-0341",
        behavior: CardBehavior::ApproveThenDecline(INSUFFICIENT_FUNDS),
        description: "the first charge on the billing key approves, later ones decline (insufficient funds)",
    },
    TestCard {
        number: "4000-0000-0000-0127",
        behavior: CardBehavior::Refuse(CARD_AUTH_FAILED),
        description: "refused outright: code -1, no payment, no billing key",
    },
];

/// What `number` does; unlisted numbers approve.
pub fn behavior_of(number: &str) -> CardBehavior {
    TEST_CARDS
        .iter()
        .find(|c| c.number == number)
        .map(|c| c.behavior)
        .unwrap_or(CardBehavior::Approve)
}

/// The brand name and code the sandbox reports for a card number (by its first digit).
pub fn brand_of(number: &str) -> (&'static str, &'static str) {
    match number.as_bytes().first() {
        Some(b'4') => ("VISA (sandbox)", "VIS"),
        Some(b'5') => ("Mastercard (sandbox)", "MAS"),
        Some(b'3') => ("AMEX (sandbox)", "AMX"),
        _ => ("Sandbox card", "SBX"),
    }
}

/// The masked card number reported in payments and billing keys: the 7th to 12th digits hidden
/// (`424242******4242`), as i'mport typically masks.
pub fn mask(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if (6..12).contains(&i) { '*' } else { *c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed_and_masking_hides_the_middle() {
        for card in TEST_CARDS {
            assert_eq!(card.number.len(), 19, "{}", card.number);
        }
        assert_eq!(mask("4242-4242-4242-4242"), "424242******4242");
        assert_eq!(behavior_of("1234-5678-9012-3456"), CardBehavior::Approve);
    }
}
