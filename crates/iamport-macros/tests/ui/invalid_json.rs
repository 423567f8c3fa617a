iamport_macros::api!("specs/invalid_json.json");

fn main() {}
