//! Small helpers every layer uses (a leaf module: it imports nothing of the crate).

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, recovering from poisoning (a panic elsewhere must not wedge the sandbox).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// At most `n` characters of `s`, with `…` when cut (for echoing paths and names, never values).
pub fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("abc", 5), "abc");
        assert_eq!(excerpt("가나다라", 2), "가나…");
    }
}
