//! The smallest spec (one GET without inputs) expands without a single warning: the generated
//! modules import only what they use.

#![deny(warnings)]

mod ping {
    iamport_macros::api!("specs/minimal.json");
}

use iamport::runtime::Request;
use ping::types::PingRequest;

fn main() {
    let http = PingRequest.to_http().expect("no body to encode");
    assert_eq!(http.path, "/ping");
    assert!(http.body.is_none() && http.query.is_empty());
    assert_eq!(<PingRequest as Request>::OPERATION.operation_id, "ping");
    assert!(!<PingRequest as Request>::OPERATION.requires_auth);
}
