iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/unsupported_construct.json");

fn main() {}
