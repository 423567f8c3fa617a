iamport_macros::api!("specs/swagger2.json");

fn main() {}
