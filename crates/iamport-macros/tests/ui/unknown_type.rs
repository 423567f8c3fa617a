iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/unknown_type.json");

fn main() {}
