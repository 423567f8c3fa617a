iamport_macros::api!(spec / iamport);

fn main() {}
