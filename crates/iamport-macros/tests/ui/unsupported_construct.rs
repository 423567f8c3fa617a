iamport_macros::api!("specs/unsupported_construct.json");

fn main() {}
