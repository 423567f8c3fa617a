//! The merchant's non-authenticated payment channels (PG settings) and their rules.

/// Which PG rules a channel follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgRules {
    /// A generic key-in PG: card number + expiry (+ optional birth/pwd_2digit) suffice;
    /// billing keys may be issued without a payment.
    KeyIn,
    /// PAYMENTWALL: `cvc` required on `onetime`; no billing key without a payment;
    /// `buyer_email` required on `again`, equal to the e-mail given when the key was issued;
    /// `buyer_name`, when given, is "First Last". `browser_ip` is optional (i'mport uses the
    /// caller's IP).
    Paymentwall,
}

/// One configured channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channel {
    /// `pg_provider` reported in payments and billing keys, and the `{pg}` part of `pg`.
    pub pg_provider: &'static str,
    /// `pg_id` (the MID), the optional `.{MID}` part of `pg`.
    pub pg_id: &'static str,
    /// The channel key that selects it through `channel_key`.
    pub channel_key: &'static str,
    /// The rules it enforces.
    pub rules: PgRules,
}

impl Channel {
    /// The channel's name as `GET /users/pg` reports it (`channel_name`).
    pub fn channel_name(&self) -> String {
        format!("sandbox {}", self.pg_provider)
    }
}

/// The generic key-in channel (the default merchant's default channel).
pub const KEYIN: Channel = Channel {
    pg_provider: "keyin",
    pg_id: "sandbox_keyin_mid",
    channel_key: "channel-key-sandbox-keyin",
    rules: PgRules::KeyIn,
};

/// The PAYMENTWALL channel.
pub const PAYMENTWALL: Channel = Channel {
    pg_provider: "paymentwall",
    pg_id: "sandbox_paymentwall_project",
    channel_key: "channel-key-sandbox-paymentwall",
    rules: PgRules::Paymentwall,
};

/// Message when neither `pg` nor `channel_key` names a configured channel (i'mport's wording,
/// `iamport/iamport-rest-client-ruby#23`).
pub const NO_CHANNEL: &str = "비인증결제모듈 사용정보를 찾을 수 없습니다.";

/// The id of the merchant's one smart-routing channel group, made of all its channels: a
/// `customer_save` with this `channel_group_id` issues a super billing key on each of them.
pub const CHANNEL_GROUP_ID: &str = "channel-group-sandbox";

/// The merchant's channels, the first being the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels(pub Vec<Channel>);

impl Channels {
    /// The default merchant: key-in (default) and PAYMENTWALL.
    pub fn standard() -> Self {
        Channels(vec![KEYIN, PAYMENTWALL])
    }

    /// A merchant that only set up PAYMENTWALL.
    pub fn paymentwall_only() -> Self {
        Channels(vec![PAYMENTWALL])
    }

    /// Picks the channel: `channel_key` first, then `pg` (`{pg}` or `{pg}.{MID}`), else the
    /// default. A `channel_key` that matches nothing is `None`; a `pg` that matches nothing
    /// falls back to the default channel, as the Swagger documents for `pg` ("지정하지 않거나
    /// 유효하지 않은 값이 전달되면 기본PG설정된 값을 이용해 결제하게 됩니다": when absent or invalid,
    /// the default PG setting is used). `None` too when the merchant has no channel at all.
    pub fn select(&self, pg: Option<&str>, channel_key: Option<&str>) -> Option<Channel> {
        if let Some(key) = channel_key.filter(|k| !k.is_empty()) {
            return self.0.iter().copied().find(|c| c.channel_key == key);
        }
        if let Some(pg) = pg.filter(|p| !p.is_empty()) {
            let (provider, mid) = match pg.split_once('.') {
                Some((p, m)) => (p, Some(m)),
                None => (pg, None),
            };
            let named = self.0.iter().copied().find(|c| {
                c.pg_provider.eq_ignore_ascii_case(provider) && mid.is_none_or(|m| m == c.pg_id)
            });
            if named.is_some() {
                return named;
            }
        }
        self.0.first().copied()
    }

    /// The channels of the smart-routing group `id`: all of the merchant's for
    /// [`CHANNEL_GROUP_ID`]; `None` for any other id, or when the merchant has no channel.
    pub fn group(&self, id: &str) -> Option<&[Channel]> {
        (id == CHANNEL_GROUP_ID && !self.0.is_empty()).then_some(self.0.as_slice())
    }

    /// The channel a stored billing key was issued on.
    pub fn by_pg_id(&self, pg_id: &str) -> Option<Channel> {
        self.0.iter().copied().find(|c| c.pg_id == pg_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection() {
        let std = Channels::standard();
        assert_eq!(std.select(None, None), Some(KEYIN));
        assert_eq!(std.select(Some("paymentwall"), None), Some(PAYMENTWALL));
        assert_eq!(
            std.select(Some("paymentwall.sandbox_paymentwall_project"), None),
            Some(PAYMENTWALL)
        );
        // An unknown `pg` (or MID) falls back to the default channel; an unknown key does not.
        assert_eq!(std.select(Some("paymentwall.other"), None), Some(KEYIN));
        assert_eq!(std.select(Some("kcp"), None), Some(KEYIN));
        assert_eq!(std.select(None, Some("channel-key-nope")), None);
        assert_eq!(Channels(Vec::new()).select(None, None), None);
        assert_eq!(
            std.select(Some("kcp"), Some(KEYIN.channel_key)),
            Some(KEYIN)
        );
        assert_eq!(
            Channels::paymentwall_only().select(None, None),
            Some(PAYMENTWALL)
        );
    }

    #[test]
    fn the_one_group_holds_every_channel() {
        let std = Channels::standard();
        assert_eq!(std.group(CHANNEL_GROUP_ID), Some(&[KEYIN, PAYMENTWALL][..]));
        assert_eq!(std.group("channel-group-nope"), None);
        assert_eq!(Channels(Vec::new()).group(CHANNEL_GROUP_ID), None);
    }
}
