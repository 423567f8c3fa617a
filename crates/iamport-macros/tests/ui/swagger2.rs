iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/swagger2.json");

fn main() {}
