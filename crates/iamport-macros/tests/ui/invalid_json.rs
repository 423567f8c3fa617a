iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/invalid_json.json");

fn main() {}
