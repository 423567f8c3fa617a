iamport_macros::api!("specs/openapi31.json");

fn main() {}
