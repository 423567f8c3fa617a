//! [`BillingKey`]: telling a card's billing key from a smart-routing super billing key.

use crate::types::BillingKey;

impl BillingKey {
    /// Whether this is a smart-routing **super billing key** (issued with `channel_group_id` on
    /// all channels of a group): `channelGroupId` is present. Its per-channel keys are then in
    /// [`succeeded_channels`](Self::succeeded_channels), the channels that refused it in
    /// [`failed_channels`](Self::failed_channels), and the card fields of the key itself are
    /// usually absent.
    ///
    /// `false` for one card's billing key on one channel (`pg_provider`, `card_number`, …).
    ///
    /// ```
    /// use iamport::types::BillingKey;
    ///
    /// let key: BillingKey = serde_json::from_str(
    ///     r#"{"customer_uid": "customer_group_1", "channelGroupId": "channel-group-0001"}"#,
    /// )?;
    /// assert!(key.is_super());
    /// let key: BillingKey = serde_json::from_str(r#"{"customer_uid": "customer_1234"}"#)?;
    /// assert!(!key.is_super());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_super(&self) -> bool {
        self.channel_group_id.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_id_makes_a_super_billing_key() {
        let mut key = BillingKey {
            customer_uid: "k".into(),
            ..Default::default()
        };
        assert!(!key.is_super());
        key.channel_group_id = Some("channel-group-0001".into());
        assert!(key.is_super());
    }
}
