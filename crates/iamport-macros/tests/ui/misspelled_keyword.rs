iamport_macros::api!("../../../../crates/iamport-macros/tests/ui/specs/misspelled_keyword.json");

fn main() {}
