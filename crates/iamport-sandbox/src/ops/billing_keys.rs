//! Billing keys: issue (`POST /subscribe/customers/{customer_uid}`), look up, list, delete, and
//! the payments made with one.

use iamport::types::{
    BillingKey, DeleteBillingKeyRequest, GetBillingKeyRequest, IssueBillingKeyRequest,
    ListBillingKeyPaymentsRequest, ListBillingKeysRequest,
};

use serde_json::Value;

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::rules::{
    PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT, buyer_of, check_card, no_customer, non_empty, paged,
    unknown_billing_key,
};
use super::table::{Answer, Operation, Outcome};
use crate::state::cards;
use crate::state::channels::{CHANNEL_GROUP_ID, Channel, Channels, NO_CHANNEL, PgRules};
use crate::state::store::{Buyer, CustomerRec, PaymentRec, Store, SuperKeyRec};
use crate::support::lock;

/// The card data of a request that issues a billing key.
pub(super) struct CardInput<'a> {
    pub(super) number: &'a str,
    pub(super) expiry: &'a str,
    pub(super) cvc: Option<&'a str>,
}

/// Issues (or replaces) a billing key without a payment, and returns it as stored. The caller
/// holds the store lock.
pub(super) fn issue_key<'s>(
    store: &'s mut Store,
    channel: Channel,
    customer_uid: &str,
    card: CardInput<'_>,
    buyer: Buyer,
    customer_id: Option<String>,
    now: i64,
) -> Result<&'s mut CustomerRec, ApiError> {
    if channel.rules == PgRules::Paymentwall {
        return Err(ApiError::business(PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT));
    }
    check_card(card.number, card.expiry, card.cvc, now)?;
    let (card_name, card_code) = cards::brand_of(card.number);
    let inserted = store
        .customers
        .get(customer_uid)
        .map(|c| c.inserted)
        .unwrap_or(now);
    let rec = CustomerRec {
        customer_uid: customer_uid.to_owned(),
        channel,
        card_number_full: card.number.to_owned(),
        expiry: card.expiry.to_owned(),
        card_name,
        card_code,
        card_number: cards::mask(card.number),
        customer_id,
        buyer,
        inserted,
        updated: now,
        approved_charges: 0,
        group: None,
    };
    Ok(store
        .customers
        .entry(customer_uid.to_owned())
        .insert_entry(rec)
        .into_mut())
}

/// The fields of a `BillingKey` that only a super billing key has (upstream
/// `SuperBillingKeyAnnotation`), and those that only a card's billing key has
/// (`CustomerAnnotation`). One generated type holds both; each of i'mport's bodies holds one set.
const SUPER_KEY_ONLY: &[&str] = &["channelGroupId", "succeededChannels", "failedChannels"];
const CARD_KEY_ONLY: &[&str] = &[
    "pg_provider",
    "pg_id",
    "sandbox",
    "card_name",
    "card_code",
    "card_issuer_code",
    "card_issuer_name",
    "card_publisher_code",
    "card_publisher_name",
    "card_number",
    "card_type",
    "inserted",
    "updated",
];

/// Billing keys (one, or a list) as i'mport sends them: a card's key without the fields of a
/// super billing key, a super billing key without the card fields of a card's key.
fn as_sent(response: &mut Value) {
    let keys: Vec<&mut Value> = match response {
        Value::Array(items) => items.iter_mut().collect(),
        one => vec![one],
    };
    for key in keys.into_iter().filter_map(Value::as_object_mut) {
        let other_kind = match key.get("channelGroupId") {
            Some(id) if !id.is_null() => CARD_KEY_ONLY,
            _ => SUPER_KEY_ONLY,
        };
        key.retain(|field, _| !other_kind.contains(&field.as_str()));
    }
}

/// The super billing key a `customer_save` with `channel_group_id` issues: a key on every
/// channel of the group that can issue one without a payment (all but PAYMENTWALL); the others
/// are its failed channels. Refused when the group is unknown or none of its channels can.
fn super_key_of(channels: &Channels, group_id: &str) -> Result<SuperKeyRec, ApiError> {
    let group = channels.group(group_id).ok_or_else(|| {
        ApiError::business(format!(
            "스마트 라우팅 채널 그룹을 찾을 수 없습니다. (no smart-routing channel group `{group_id}`: the sandbox's is `{CHANNEL_GROUP_ID}`)"
        ))
    })?;
    let (succeeded, refused): (Vec<Channel>, Vec<Channel>) =
        group.iter().partition(|c| c.rules != PgRules::Paymentwall);
    if succeeded.is_empty() {
        return Err(ApiError::business(PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT));
    }
    Ok(SuperKeyRec {
        group_id: group_id.to_owned(),
        succeeded,
        failed: refused
            .into_iter()
            .map(|c| (c, PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT))
            .collect(),
    })
}

impl Operation for IssueBillingKeyRequest {
    fn finish(response: &mut Value) {
        as_sent(response);
    }

    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        // With `channel_group_id`, a super billing key on the group's channels (`pg` and
        // `channel_key` are then ignored), charged on its first succeeded channel. Otherwise
        // `channel_key` is optional (required upstream only since 2026-05 and sent by no SDK):
        // the channel chosen by `pg`, else the default, stands in for it.
        let (channel, group) = match non_empty(&r.channel_group_id) {
            Some(group_id) => {
                let group = super_key_of(&core.config.channels, &group_id)?;
                (group.succeeded[0], Some(group))
            }
            None => {
                let channel = core
                    .config
                    .channels
                    .select(r.pg.as_deref(), r.channel_key.as_deref())
                    .ok_or_else(|| ApiError::business(NO_CHANNEL))?;
                (channel, None)
            }
        };
        let now = core.clock.now();
        let rec = {
            let mut store = lock(&core.store);
            let rec = issue_key(
                &mut store,
                channel,
                &r.customer_uid,
                CardInput {
                    number: r.card_number.expose(),
                    expiry: r.expiry.expose(),
                    cvc: r.cvc.as_ref().map(|c| c.expose()),
                },
                buyer_of([
                    &r.customer_name,
                    &r.customer_email,
                    &r.customer_tel,
                    &r.customer_addr,
                    &r.customer_postcode,
                ]),
                r.customer_id.clone(),
                now,
            )?;
            rec.group = group;
            rec.clone()
        };
        Ok(Answer::ok(rec.to_billing_key()))
    }
}

impl Operation for GetBillingKeyRequest {
    fn finish(response: &mut Value) {
        as_sent(response);
    }

    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let store = lock(&core.store);
        let rec = store
            .customers
            .get(&r.customer_uid)
            .ok_or_else(|| unknown_billing_key(&r.customer_uid))?;
        Ok(Answer::ok(rec.to_billing_key()))
    }
}

impl Operation for DeleteBillingKeyRequest {
    fn finish(response: &mut Value) {
        as_sent(response);
    }

    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let rec = lock(&core.store)
            .customers
            .remove(&r.customer_uid)
            .ok_or_else(|| unknown_billing_key(&r.customer_uid))?;
        Ok(Answer::ok(rec.to_billing_key()))
    }
}

impl Operation for ListBillingKeysRequest {
    fn finish(response: &mut Value) {
        as_sent(response);
    }

    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        if r.customer_uid.is_empty() {
            return Err(ApiError::bad_request(
                "missing required parameter `customer_uid[]`",
            ));
        }
        let store = lock(&core.store);
        let found: Vec<BillingKey> = r
            .customer_uid
            .iter()
            .filter_map(|uid| store.customers.get(uid))
            .map(CustomerRec::to_billing_key)
            .collect();
        if found.is_empty() {
            return Err(ApiError {
                status: 404,
                code: 1,
                message: "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.".into(),
            });
        }
        let status = if found.len() == r.customer_uid.len() {
            200
        } else {
            207
        };
        Ok(Answer {
            status,
            response: found,
        })
    }
}

impl Operation for ListBillingKeyPaymentsRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let store = lock(&core.store);
        let mut list: Vec<&PaymentRec> = store
            .payment_indices_by_customer(&r.customer_uid)
            .into_iter()
            .map(|i| store.payment(i))
            .collect();
        if list.is_empty() && !store.customers.contains_key(&r.customer_uid) {
            return Err(no_customer(&r.customer_uid));
        }
        list.sort_by_key(|p| std::cmp::Reverse((p.started_at, p.seq)));
        let payments = list.into_iter().map(PaymentRec::to_payment).collect();
        Ok(Answer::ok(paged(payments, r.page, None)?.into()))
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use iamport::types::BillingKey;
    use serde_json::json;

    use super::*;

    #[test]
    fn each_kind_is_sent_without_the_other_kinds_fields() {
        let mut list = json!([
            {"customer_uid": "c", "card_number": "4242", "channelGroupId": null,
             "succeededChannels": null, "failedChannels": null},
            {"customer_uid": "g", "customer_email": null, "card_number": null, "pg_provider": null,
             "channelGroupId": "group", "succeededChannels": [], "failedChannels": []},
        ]);
        as_sent(&mut list);
        assert_eq!(
            list,
            json!([
                {"customer_uid": "c", "card_number": "4242"},
                {"customer_uid": "g", "customer_email": null, "channelGroupId": "group",
                 "succeededChannels": [], "failedChannels": []},
            ])
        );
    }

    /// Every field of the spec's `BillingKey` is either common to both kinds (the key's and the
    /// buyer's ids and contact) or listed as one kind's own: a field added to the spec is sorted.
    #[test]
    fn every_billing_key_field_belongs_to_a_kind() {
        let value = serde_json::to_value(BillingKey::default()).unwrap();
        let mut common: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| !SUPER_KEY_ONLY.contains(k) && !CARD_KEY_ONLY.contains(k))
            .collect();
        common.sort_unstable();
        assert_eq!(
            common,
            [
                "customer_addr",
                "customer_email",
                "customer_id",
                "customer_name",
                "customer_postcode",
                "customer_tel",
                "customer_uid",
            ]
        );
    }
}
