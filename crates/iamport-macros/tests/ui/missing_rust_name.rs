iamport_macros::api!("specs/missing_rust_name.json");

fn main() {}
