//! Bank and card company codes (`GET /banks`, `/banks/{code}`, `/cards`, `/cards/{code}`): fixed
//! tables of the Korea Financial Telecommunications & Clearings Institute (금융결제원) standard
//! codes that i'mport answers, as listed in PortOne's V1 code tables
//! (<https://developers.portone.io/opi/ko/support/code-info/pg-1>; see `docs/decisions.md`).

use iamport::types::{
    GetBankCodeRequest, GetCardCodeRequest, ListBankCodesRequest, ListCardCodesRequest,
    StandardCode,
};

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::table::{Answer, Operation, Outcome};
use crate::support::excerpt;

/// Bank standard codes and names.
pub const BANKS: &[(&str, &str)] = &[
    ("002", "KDB산업은행"),
    ("003", "IBK기업은행"),
    ("004", "KB국민은행"),
    ("007", "수협은행"),
    ("011", "NH농협은행"),
    ("012", "지역농축협"),
    ("020", "우리은행"),
    ("023", "SC제일은행"),
    ("027", "한국씨티은행"),
    ("031", "iM뱅크"),
    ("032", "부산은행"),
    ("034", "광주은행"),
    ("035", "제주은행"),
    ("037", "전북은행"),
    ("039", "경남은행"),
    ("045", "새마을금고"),
    ("048", "신협"),
    ("050", "저축은행"),
    ("064", "산림조합"),
    ("071", "우체국"),
    ("081", "하나은행"),
    ("088", "신한은행"),
    ("089", "케이뱅크"),
    ("090", "카카오뱅크"),
    ("092", "토스뱅크"),
];

/// Card company standard codes and names.
pub const CARDS: &[(&str, &str)] = &[
    ("361", "BC카드"),
    ("364", "광주카드"),
    ("365", "삼성카드"),
    ("366", "신한카드"),
    ("367", "현대카드"),
    ("368", "롯데카드"),
    ("369", "수협카드"),
    ("370", "씨티카드"),
    ("371", "NH카드"),
    ("372", "전북카드"),
    ("373", "제주카드"),
    ("374", "하나카드"),
    ("381", "KB국민카드"),
    ("041", "우리카드"),
    ("071", "우체국카드"),
];

fn standard(table: &[(&str, &str)]) -> Vec<StandardCode> {
    table
        .iter()
        .map(|(code, name)| StandardCode {
            code: (*code).to_owned(),
            name: Some((*name).to_owned()),
        })
        .collect()
}

fn one(table: &[(&str, &str)], code: &str, what: &str) -> Result<StandardCode, ApiError> {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(code, name)| StandardCode {
            code: (*code).to_owned(),
            name: Some((*name).to_owned()),
        })
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "코드({})에 해당되는 {what}정보를 찾을 수 없습니다.",
                excerpt(code, 20)
            ))
        })
}

impl Operation for ListBankCodesRequest {
    fn answer(self, _: &Core, _: &Call<'_>) -> Outcome<Self> {
        Ok(Answer::ok(standard(BANKS)))
    }
}

impl Operation for GetBankCodeRequest {
    fn answer(self, _: &Core, _: &Call<'_>) -> Outcome<Self> {
        Ok(Answer::ok(one(BANKS, &self.bank_standard_code, "은행")?))
    }
}

impl Operation for ListCardCodesRequest {
    fn answer(self, _: &Core, _: &Call<'_>) -> Outcome<Self> {
        Ok(Answer::ok(standard(CARDS)))
    }
}

impl Operation for GetCardCodeRequest {
    fn answer(self, _: &Core, _: &Call<'_>) -> Outcome<Self> {
        Ok(Answer::ok(one(CARDS, &self.card_standard_code, "카드사")?))
    }
}
