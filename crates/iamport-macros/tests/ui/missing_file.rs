iamport_macros::api!("spec/no-such-spec.json");

fn main() {}
