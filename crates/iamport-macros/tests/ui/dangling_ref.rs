iamport_macros::api!("specs/dangling_ref.json");

fn main() {}
