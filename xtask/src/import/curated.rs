//! The judgement calls already made for i'mport's operations: a Rust method name, an English
//! summary and (for operations that move money) a payment kind, keyed by `METHOD /path`; and the
//! identity fields of response records. `cargo xtask import` uses them when an operation is
//! listed here and prints a TODO for each call it cannot make when it is not.

/// One curated operation.
pub struct Curated {
    /// `METHOD /path` as in i'mport's Swagger.
    pub key: &'static str,
    /// The method name (`x-rust-name`).
    pub rust_name: &'static str,
    /// One English sentence (the generated doc's first line).
    pub summary: &'static str,
    /// `x-iamport-payment`: `charge`, `ready` (issues a payment that waits for the buyer: a
    /// virtual account, a convenience-store slip) or `cancel`.
    pub payment: Option<&'static str>,
}

const fn c(
    key: &'static str,
    rust_name: &'static str,
    summary: &'static str,
    payment: Option<&'static str>,
) -> Curated {
    Curated {
        key,
        rust_name,
        summary,
        payment,
    }
}

/// Every operation of i'mport's Swagger the spec did not hold before the import command, plus
/// `GET /vbanks/holder` (see `spec/upstream/supplement.json`).
pub const OPERATIONS: &[Curated] = &[
    c(
        "POST /benepia/point",
        "get_benepia_point",
        "Looks up a member's Benepia point balance.",
        None,
    ),
    c(
        "POST /benepia/payment",
        "pay_with_benepia_point",
        "Pays with Benepia points.",
        Some("charge"),
    ),
    c(
        "GET /certifications/{imp_uid}",
        "get_certification",
        "Gets the result of an identity verification.",
        None,
    ),
    c(
        "DELETE /certifications/{imp_uid}",
        "delete_certification",
        "Deletes the stored personal data of an identity verification.",
        None,
    ),
    c(
        "POST /certifications/otp/request",
        "request_certification_otp",
        "Starts an identity verification by text message (sends the one-time code).",
        None,
    ),
    c(
        "POST /certifications/otp/confirm/{imp_uid}",
        "confirm_certification_otp",
        "Completes an identity verification with the one-time code the person received.",
        None,
    ),
    c(
        "POST /cvs",
        "issue_cvs_payment",
        "Issues a convenience-store payment slip (the buyer pays at the counter later).",
        Some("ready"),
    ),
    c(
        "DELETE /cvs/{imp_uid}",
        "revoke_cvs_payment",
        "Revokes an unpaid convenience-store payment slip.",
        Some("cancel"),
    ),
    c(
        "GET /escrows/logis/{imp_uid}",
        "get_escrow_logistics",
        "Gets the shipping details registered for an escrow payment.",
        None,
    ),
    c(
        "PUT /escrows/logis/{imp_uid}",
        "update_escrow_logistics",
        "Changes the shipping details of an escrow payment.",
        None,
    ),
    c(
        "POST /escrows/logis/{imp_uid}",
        "register_escrow_logistics",
        "Registers the shipping details of an escrow payment.",
        None,
    ),
    c(
        "DELETE /kcpquick/members/{member_id}",
        "delete_kcpquick_member",
        "Deletes a buyer registered with KCP Quick Pay.",
        None,
    ),
    c(
        "POST /kcpquick/payment/money",
        "pay_kcpquick_money",
        "Pays with a buyer's KCP prepaid money.",
        Some("charge"),
    ),
    c(
        "PUT /kcpquick/prepare/{merchant_uid}",
        "update_kcpquick_prepare",
        "Changes a KCP prepaid-money payment registered in advance.",
        None,
    ),
    c(
        "POST /kcpquick/prepare/{merchant_uid}",
        "create_kcpquick_prepare",
        "Registers a KCP prepaid-money payment in advance.",
        None,
    ),
    c(
        "POST /kcpquick/payment/autopay",
        "pay_kcpquick_autopay",
        "Charges a KCP Quick Pay automatic-payment key.",
        Some("charge"),
    ),
    c(
        "DELETE /kcpquick/autopay/{customer_uid}",
        "delete_kcpquick_autopay_key",
        "Deletes a KCP Quick Pay automatic-payment key.",
        None,
    ),
    c(
        "POST /kcpquick/members/{member_id}/fido/release",
        "release_kcpquick_fido",
        "Turns off biometric (FIDO) authentication for a KCP Quick Pay member.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/cancel",
        "cancel_naver_product_orders",
        "Cancels (refunds) Naver Pay product orders of a payment.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/approve-cancel",
        "approve_naver_cancel",
        "Approves a buyer's request to cancel Naver Pay product orders.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/ship",
        "ship_naver_product_orders",
        "Marks Naver Pay product orders as shipped.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/ship-exchanged",
        "ship_naver_exchanged",
        "Marks the replacements of exchanged Naver Pay product orders as shipped.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/collect-exchanged",
        "collect_naver_exchanged",
        "Marks exchanged Naver Pay product orders as collected from the buyer.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/place",
        "place_naver_product_orders",
        "Confirms (places) Naver Pay product orders for dispatch.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/request-return",
        "request_naver_return",
        "Requests the return of Naver Pay product orders on the buyer's behalf.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/approve-return",
        "approve_naver_return",
        "Approves the return of Naver Pay product orders.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/reject-return",
        "reject_naver_return",
        "Rejects the return of Naver Pay product orders.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/withhold-return",
        "withhold_naver_return",
        "Withholds the return of Naver Pay product orders (e.g. until a fee is paid).",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/resolve-return",
        "resolve_naver_return",
        "Lifts the hold on the return of Naver Pay product orders.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/point",
        "deposit_naver_point",
        "Credits the buyer's Naver Pay points for a payment.",
        None,
    ),
    c(
        "POST /payments/{imp_uid}/naver/confirm",
        "confirm_naver_payment",
        "Confirms the purchase of a Naver Pay escrow payment.",
        None,
    ),
    c(
        "GET /payments/{imp_uid}/naver/product-orders",
        "list_naver_product_orders",
        "Lists the Naver Pay product orders of a payment.",
        None,
    ),
    c(
        "GET /naver/product-orders/{product_order_id}",
        "get_naver_product_order",
        "Gets one Naver Pay product order by its product order id.",
        None,
    ),
    c(
        "GET /naver/reviews",
        "list_naver_reviews",
        "Lists Naver Pay buyer reviews written in a time range.",
        None,
    ),
    c(
        "GET /payments/{imp_uid}/naver/cash-amount",
        "get_naver_cash_amount",
        "Gets the amount of a Naver Pay payment eligible for a cash receipt.",
        None,
    ),
    c(
        "POST /partners/receipts/{imp_uid}",
        "register_partner_receipt",
        "Registers the sub-merchant transactions shown on a payment's receipt.",
        None,
    ),
    c(
        "POST /payco/orders/status/{imp_uid}",
        "update_payco_order_status",
        "Changes the order status of a PAYCO payment.",
        None,
    ),
    c(
        "GET /payments/{imp_uid}/balance",
        "get_payment_balance",
        "Gets the amount breakdown (taxable, tax-free, VAT, service) of a payment and its history.",
        None,
    ),
    c(
        "GET /payments",
        "list_payments",
        "Gets several payments by their `imp_uid`s.",
        None,
    ),
    c(
        "GET /payments/status/{payment_status}",
        "list_payments_by_status",
        "Lists payments by status, a page at a time.",
        None,
    ),
    c(
        "PUT /payments/prepare",
        "update_payment_prepare",
        "Changes the amount registered in advance for an order.",
        None,
    ),
    c(
        "POST /payments/prepare",
        "prepare_payment",
        "Registers in advance the amount an order must be paid with (i'mport refuses a payment of another amount).",
        None,
    ),
    c(
        "GET /payments/prepare/{merchant_uid}",
        "get_payment_prepare",
        "Gets the amount registered in advance for an order.",
        None,
    ),
    c(
        "GET /receipts/{imp_uid}",
        "get_receipt",
        "Gets the cash receipt issued for a payment.",
        None,
    ),
    c(
        "POST /receipts/{imp_uid}",
        "issue_receipt",
        "Issues a cash receipt for a payment.",
        None,
    ),
    c(
        "DELETE /receipts/{imp_uid}",
        "revoke_receipt",
        "Revokes the cash receipt issued for a payment.",
        None,
    ),
    c(
        "GET /receipts/external/{merchant_uid}",
        "get_external_receipt",
        "Gets a cash receipt issued for a payment made outside i'mport.",
        None,
    ),
    c(
        "POST /receipts/external/{merchant_uid}",
        "issue_external_receipt",
        "Issues a cash receipt for a payment made outside i'mport.",
        None,
    ),
    c(
        "DELETE /receipts/external/{merchant_uid}",
        "revoke_external_receipt",
        "Revokes a cash receipt issued for a payment made outside i'mport.",
        None,
    ),
    c(
        "GET /cards",
        "list_card_codes",
        "Lists the card issuers' standard codes and names.",
        None,
    ),
    c(
        "GET /cards/{card_standard_code}",
        "get_card_code",
        "Gets a card issuer's name by its standard code.",
        None,
    ),
    c(
        "GET /banks",
        "list_bank_codes",
        "Lists the banks' standard codes and names.",
        None,
    ),
    c(
        "GET /banks/{bank_standard_code}",
        "get_bank_code",
        "Gets a bank's name by its standard code.",
        None,
    ),
    c(
        "GET /tiers/{tier_code}",
        "get_tier",
        "Gets a sub-merchant (tier) by its code.",
        None,
    ),
    c(
        "POST /vbanks",
        "issue_vbank",
        "Issues a virtual bank account for a payment (the buyer deposits into it later).",
        Some("ready"),
    ),
    c(
        "PUT /vbanks/{imp_uid}",
        "update_vbank",
        "Changes the amount or due date of an issued virtual account.",
        None,
    ),
    c(
        "DELETE /vbanks/{imp_uid}",
        "revoke_vbank",
        "Revokes an unpaid virtual account.",
        Some("cancel"),
    ),
    c(
        "GET /vbanks/holder",
        "get_vbank_holder",
        "Looks up the holder's name of a bank account.",
        None,
    ),
];

/// The identity fields of response records (required when reading; everything else is optional
/// and nullable), by component name.
pub const IDENTITY: &[(&str, &[&str])] = &[
    ("Certification", &["imp_uid"]),
    ("CertificationOTP", &["imp_uid"]),
    ("BenepiaPoint", &[]),
    ("EscrowLogis", &[]),
    ("EscrowLogisSender", &[]),
    ("EscrowLogisReceiver", &[]),
    ("EscrowLogisInfo", &[]),
    ("EscrowLogisProducts", &[]),
    ("EscrowLogisSenderFormedAddress", &[]),
    ("EscrowLogisReceiverFormedAddress", &[]),
    ("KcpQuickMember", &["member_id"]),
    ("NaverProductOrder", &["product_order_id"]),
    ("NaverReview", &[]),
    ("NaverCashAmount", &[]),
    ("NaverAddress", &[]),
    ("NaverOrderer", &[]),
    ("PartnerReceiptResult", &[]),
    ("PartnerReceipts", &[]),
    ("PaycoStatus", &[]),
    ("PaymentBalance", &[]),
    ("PaymentBalanceHistories", &[]),
    ("PaymentBalanceSummary", &[]),
    ("PaymentPrepare", &["merchant_uid"]),
    ("Receipt", &["imp_uid"]),
    ("ExternalReceipt", &["merchant_uid"]),
    ("StandardCode", &["code"]),
    ("Tier", &["tier_code"]),
    ("VbankHolder", &["bank_holder"]),
    ("Discount", &[]),
    ("CurrentPromotionDetail", &[]),
    ("PromotionInfoDetail", &[]),
    ("CurrentPromotions", &[]),
    ("PromotionInfos", &[]),
    ("KakaoOrder", &[]),
    ("DeleteKcpquickAutopayKeyResult", &["customer_uid"]),
    ("ReleaseKcpquickFidoResult", &["member_id"]),
    ("ReleaseKcpquickFidoError", &[]),
];

/// Upstream definitions that are an existing component of the spec under another name.
pub const ALIASES: &[(&str, &str)] = &[
    ("PaymentAnnotation", "Payment"),
    ("PagedPaymentAnnotation", "PagedPayments"),
    ("PaymentCancelAnnotation", "PaymentCancel"),
    ("CustomerAnnotation", "BillingKey"),
    ("ScheduleAnnotation", "Schedule"),
    ("ScheduleResultAnnotation", "ScheduleResult"),
    ("AuthAnnotation", "AccessToken"),
    (
        "PaymentwallDeliveryDetailAnnotation",
        "PaymentwallDeliveryDetail",
    ),
    ("PaymentListResponse", "PagedPaymentsResponse"),
    // Stripping `Annotation` would give the envelope's own name.
    ("PaymentBalanceResponseAnnotation", "PaymentBalanceSummary"),
    ("MultiplePgSettingResponse", "PgSettingListResponse"),
];

/// Looks up a curated operation.
pub fn operation(method: &str, path: &str) -> Option<&'static Curated> {
    let key = format!("{} {path}", method.to_ascii_uppercase());
    OPERATIONS.iter().find(|c| c.key == key)
}

/// The curated identity fields of a component, if it is listed.
pub fn identity(component: &str) -> Option<&'static [&'static str]> {
    IDENTITY
        .iter()
        .find(|(name, _)| *name == component)
        .map(|(_, fields)| *fields)
}
