//! Layer 2, the operations: what i'mport does with a request, grouped by domain. Each module
//! answers the generated request types of its operations ([`table::Operation`]) with their
//! generated response types, reading and writing the store and the clock (layer 3) and queuing
//! webhooks. Nothing here knows about HTTP, faults or the request log (layer 1).

mod account;
mod billing_keys;
mod charges;
pub(crate) mod clock;
pub(crate) mod codes;
mod error;
mod lists;
mod merchant;
mod payments;
mod prepare;
mod rules;
mod schedules;
mod table;
#[cfg(test)]
mod tests;
mod vbanks;

pub use charges::Reservation;
pub use clock::{AdvanceError, MAX_ADVANCE_SECONDS};
pub use error::ApiError;
pub use merchant::{Call, Config, Core};
pub use rules::PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT;
pub use schedules::ExecutedSchedule;
pub use table::handler;
