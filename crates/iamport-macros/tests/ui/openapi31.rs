iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/openapi31.json");

fn main() {}
