iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/dangling_ref.json");

fn main() {}
