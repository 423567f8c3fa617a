//! The merchant's account: access tokens (`POST /users/getToken`) and PG settings
//! (`GET /users/pg`).

use iamport::Timestamp;
use iamport::types::{AccessToken, IssueTokenRequest, ListPgSettingsRequest, PgSetting};

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::table::{Answer, Operation, Outcome};
use crate::support::lock;

impl Operation for IssueTokenRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let known = core
            .config
            .credentials
            .iter()
            .any(|(k, s)| *k == self.imp_key && s.as_str() == self.imp_secret.expose());
        if !known {
            return Err(ApiError::unauthorized(
                "imp_key, imp_secret 인증에 실패했습니다. (unknown imp_key/imp_secret pair)",
            ));
        }
        let now = core.clock.now();
        let (token, expired_at) = lock(&core.store).issue_token(&self.imp_key, now);
        Ok(Answer::ok(AccessToken {
            access_token: token.into(),
            expired_at: Timestamp(expired_at),
            now: Timestamp(now),
        }))
    }
}

/// The merchant's channels (API key-in PG settings), the default first.
impl Operation for ListPgSettingsRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let list = core
            .config
            .channels
            .0
            .iter()
            .map(|c| PgSetting {
                pg_provider: c.pg_provider.to_owned(),
                pg_id: c.pg_id.to_owned(),
                sandbox: Some(false),
                r#type: Some("api_payment".to_owned()),
                channel_name: Some(c.channel_name()),
                channel_key: Some(c.channel_key.to_owned()),
            })
            .collect();
        Ok(Answer::ok(list))
    }
}
