//! The test cards: which card numbers approve, decline or fail, and how.
//!
//! Card numbers are matched on their digits only (dashes and spaces are ignored), as i'mport
//! counts digits. Any other well-formed number (13 to 19 digits, Luhn-valid) approves; an
//! ill-formed one is refused with `code: -1` ([`INVALID_CARD_NUMBER`]). See the crate docs for
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
    /// The charge is declined (`status: "failed"` with this `fail_reason`), then approved
    /// [`LATE_APPROVAL_SECONDS`] later on the sandbox clock: the same payment turns `paid` and a
    /// `paid` webhook is sent, as PAYMENTWALL does after its fraud review.
    DeclineThenApproveLater(&'static str),
    /// The card is refused before any payment exists: `code: -1` with this message (HTTP 200),
    /// as i'mport answers for card data the PG does not accept.
    Refuse(&'static str),
}

/// One row of the test-card table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestCard {
    /// The card number in i'mport's dashed form (16 digits `4-4-4-4`, AMEX `4-6-5`, Diners
    /// `4-6-4`); it matches however it is sent (with or without dashes or spaces).
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
/// How long after its decline a [`CardBehavior::DeclineThenApproveLater`] payment is approved,
/// in seconds of the sandbox clock (5 minutes).
pub const LATE_APPROVAL_SECONDS: i64 = 5 * 60;
/// Message of the refused card (`code: -1`).
pub const CARD_AUTH_FAILED: &str = "카드정보 인증에 실패하였습니다.";
/// Message of an ill-formed card number: not 13 to 19 digits, or a wrong Luhn check digit
/// (`code: -1`, HTTP 200, as i'mport answers: the official Python SDK's
/// `tests/test_pay_onetime.py`, kde713/iamporter-python's tests).
pub const INVALID_CARD_NUMBER: &str = "유효하지않은 카드번호를 입력하셨습니다.";
/// Message of a `cvc` of the wrong length for the card (AMEX 4 digits, others 3; `code: -1`).
pub const INVALID_CVC: &str =
    "카드정보 인증에 실패하였습니다. (cvc: AMEX cards have 4 digits, other cards 3)";
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
        number: "3782-822463-10005",
        behavior: CardBehavior::Approve,
        description: "AMEX (15 digits, 4-digit cvc), always approves",
    },
    TestCard {
        number: "3056-930902-5904",
        behavior: CardBehavior::Approve,
        description: "Diners Club (14 digits), always approves",
    },
    TestCard {
        number: "3714-496353-98431",
        behavior: CardBehavior::Decline(INSUFFICIENT_FUNDS),
        description: "AMEX, declines: insufficient funds",
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
        number: "4000-0000-0000-0259",
        behavior: CardBehavior::DeclineThenApproveLater(PG_INTERNAL_ERROR),
        description: "fails with a PG error, then is approved 5 minutes later on the sandbox clock (a `paid` webhook follows), as Paymentwall does after a fraud review",
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

/// The digits of a card number as sent, separators dropped.
fn digits(number: &str) -> impl DoubleEndedIterator<Item = u8> + Clone + '_ {
    number.bytes().filter(u8::is_ascii_digit)
}

/// Whether two card numbers have the same digits.
fn same_digits(a: &str, b: &str) -> bool {
    digits(a).eq(digits(b))
}

/// The shortest and longest card numbers, in digits (ISO/IEC 7812).
pub const DIGITS: std::ops::RangeInclusive<usize> = 13..=19;

/// Whether `number` is a well-formed card number: only digits, dashes and spaces, 13 to 19
/// digits, and a valid Luhn check digit.
pub fn well_formed(number: &str) -> bool {
    if !number
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-' || b == b' ')
    {
        return false;
    }
    let count = digits(number).count();
    if !DIGITS.contains(&count) {
        return false;
    }
    let sum: u32 = digits(number)
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, doubled) if doubled > 9 => doubled - 9,
                (true, doubled) => doubled,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether `number` is an AMEX card (15 digits starting with 34 or 37).
pub fn is_amex(number: &str) -> bool {
    let mut d = digits(number);
    matches!((d.next(), d.next()), (Some(b'3'), Some(b'4' | b'7'))) && digits(number).count() == 15
}

/// Whether `cvc` has the length the card needs: 4 digits for AMEX, 3 for the others.
pub fn cvc_fits(number: &str, cvc: &str) -> bool {
    let want = if is_amex(number) { 4 } else { 3 };
    cvc.len() == want && cvc.bytes().all(|b| b.is_ascii_digit())
}

/// What `number` does; unlisted numbers approve.
pub fn behavior_of(number: &str) -> CardBehavior {
    TEST_CARDS
        .iter()
        .find(|c| same_digits(c.number, number))
        .map(|c| c.behavior)
        .unwrap_or(CardBehavior::Approve)
}

/// The brand name and code the sandbox reports for a card number (by its leading digits).
pub fn brand_of(number: &str) -> (&'static str, &'static str) {
    let mut d = digits(number);
    match (d.next(), d.next()) {
        (Some(b'4'), _) => ("VISA (sandbox)", "VIS"),
        (Some(b'5'), _) => ("Mastercard (sandbox)", "MAS"),
        (Some(b'3'), Some(b'4' | b'7')) => ("AMEX (sandbox)", "AMX"),
        (Some(b'3'), Some(b'0' | b'6' | b'8')) => ("Diners Club (sandbox)", "DIN"),
        _ => ("Sandbox card", "SBX"),
    }
}

/// The masked card number reported in payments and billing keys: the first 6 and the last 4
/// digits shown, the rest hidden (`424242******4242`), as i'mport typically masks.
pub fn mask(number: &str) -> String {
    let count = digits(number).count();
    digits(number)
        .enumerate()
        .map(|(i, c)| {
            if i >= 6 && i + 4 < count {
                '*'
            } else {
                char::from(c)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed_and_masking_hides_the_middle() {
        for card in TEST_CARDS {
            assert!(well_formed(card.number), "{}", card.number);
        }
        assert_eq!(mask("4242-4242-4242-4242"), "424242******4242");
        assert_eq!(mask("378282246310005"), "378282*****0005");
        assert_eq!(mask("3056-930902-5904"), "305693****5904");
        assert_eq!(behavior_of("4242-4242-4242-4241"), CardBehavior::Approve);
    }

    #[test]
    fn cards_match_on_digits_and_amex_wants_four_cvc_digits() {
        let amex_decline = CardBehavior::Decline(INSUFFICIENT_FUNDS);
        for form in ["3714-496353-98431", "371449635398431", "3714 496353 98431"] {
            assert_eq!(behavior_of(form), amex_decline, "{form}");
            assert!(well_formed(form), "{form}");
            assert!(is_amex(form));
        }
        assert_eq!(
            behavior_of("4000 0000 0000 9995"),
            CardBehavior::Decline(INSUFFICIENT_FUNDS)
        );
        assert_eq!(brand_of("30569309025904").1, "DIN");
        assert_eq!(brand_of("3782-822463-10005").1, "AMX");
        assert!(cvc_fits("3782-822463-10005", "1234"));
        assert!(!cvc_fits("3782-822463-10005", "123"));
        assert!(cvc_fits("4242424242424242", "123"));
        assert!(!cvc_fits("4242424242424242", "1234"));
        assert!(!is_amex("30569309025904"));
    }

    #[test]
    fn ill_formed_numbers() {
        assert!(!well_formed("4242-4242-4242-4241"), "Luhn");
        assert!(!well_formed("4242-4242-42"), "too short");
        assert!(!well_formed("4242424242424242424242"), "too long");
        assert!(!well_formed("4242-4242-4242-424x"), "letter");
        assert!(well_formed("4222222222222"), "13 digits");
    }
}
