iamport_macros::api!("specs/misspelled_keyword.json");

fn main() {}
