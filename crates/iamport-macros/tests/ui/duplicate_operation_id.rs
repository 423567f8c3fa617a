iamport_macros::api!("specs/duplicate_operation_id.json");

fn main() {}
