//! Fault injection: latency, server errors and dropped connections, so that clients can test
//! timeouts and unknown outcomes.

use std::time::Duration;

use iamport::runtime::OperationSpec;

/// A fault applied to matching requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long before handling the request (then handle it normally).
    Latency(Duration),
    /// Answer with this HTTP status (5xx) and the error envelope. With `after_processing`, the
    /// request is handled first (a charge is recorded) and its answer replaced; without, nothing
    /// happens.
    ServerError {
        /// The HTTP status to answer, e.g. 500 or 503.
        status: u16,
        /// Whether the request takes effect before the error is answered.
        after_processing: bool,
    },
    /// Handle the request (a charge is recorded), then close the connection without answering.
    DropConnection,
}

/// A fault and which requests it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// What happens.
    pub fault: Fault,
    /// The operation it applies to (e.g. `iamport::types::ChargeBillingKeyRequest::OPERATION`); `None` = every API
    /// operation (admin endpoints under `/__sandbox/` are never affected).
    pub operation: Option<&'static OperationSpec>,
    /// How many requests it applies to before it disarms; `None` = until cleared.
    pub times: Option<u32>,
}

impl FaultRule {
    /// A rule for every operation, once.
    pub fn once(fault: Fault) -> Self {
        FaultRule {
            fault,
            operation: None,
            times: Some(1),
        }
    }

    /// A rule for one operation, once: `FaultRule::once_for(iamport::types::ChargeBillingKeyRequest::OPERATION, f)`.
    pub fn once_for(operation: &'static OperationSpec, fault: Fault) -> Self {
        FaultRule {
            fault,
            operation: Some(operation),
            times: Some(1),
        }
    }
}

/// The armed rules.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    pub(crate) fn add(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }

    /// The armed rules, in the order they apply.
    #[cfg(feature = "dashboard")]
    pub(crate) fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// Takes the first rule matching `operation`, consuming one of its uses.
    pub(crate) fn take(&mut self, operation: &OperationSpec) -> Option<Fault> {
        let index = self
            .rules
            .iter()
            .position(|r| r.operation.is_none_or(|op| op == operation))?;
        let rule = &mut self.rules[index];
        let fault = rule.fault;
        if let Some(times) = rule.times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                self.rules.remove(index);
            }
        }
        Some(fault)
    }
}
