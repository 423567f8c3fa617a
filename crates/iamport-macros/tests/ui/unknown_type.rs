iamport_macros::api!("specs/unknown_type.json");

fn main() {}
