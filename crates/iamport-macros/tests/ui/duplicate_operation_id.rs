iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/duplicate_operation_id.json");

fn main() {}
