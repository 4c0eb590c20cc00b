//! Who an actor is: its URN, its type name and its place in the start order.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Process-wide start counter: it orders actors for `stop_all` (last started, first stopped)
/// and gives each actor a cheap numeric id for wait tracking.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The immutable identity of one actor, shared by all of its refs.
#[derive(Debug)]
pub(crate) struct Identity {
    pub(crate) id: u64,
    pub(crate) urn: Urn,
    pub(crate) name: &'static str,
}

/// A URN (`urn:uuid:` and a v4 UUID), made when first read: most actors are never asked for
/// theirs (nor logged), and drawing the UUID and encoding it were a twentieth of a spawn's
/// instructions. Its text is boxed then (a 64-byte allocation), not kept in place: 16 bytes
/// in every actor's cell instead of 52, for an allocation in the few whose URN is read. Once
/// read, it never changes. The UUID comes from the operating system
/// (`getrandom`, uuid without its `fast-rng` feature), not from a thread-local generator: a
/// URN may be first read on any thread, in a thread-local destructor too (a log line about an
/// actor dropped by an executor that a thread-local held), where a thread-local generator may
/// already be gone, and the process would abort.
pub(crate) struct Urn(OnceLock<Box<[u8; uuid::fmt::Urn::LENGTH]>>);

impl Urn {
    fn new() -> Self {
        Urn(OnceLock::new())
    }

    fn text(&self) -> &str {
        let text = self.0.get_or_init(|| {
            let mut text = Box::new([0; uuid::fmt::Urn::LENGTH]);
            uuid::Uuid::new_v4().urn().encode_lower(&mut *text);
            text
        });
        // Always ASCII: uuid's encoder wrote it.
        std::str::from_utf8(&text[..]).unwrap_or("urn:uuid:invalid")
    }
}

impl std::ops::Deref for Urn {
    type Target = str;

    fn deref(&self) -> &str {
        self.text()
    }
}

impl fmt::Display for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl Identity {
    /// What `Display` writes (`Name (urn:uuid:…)`), built at its final size: every failure's
    /// error carries it, and `to_string` went through the formatting machinery and grew its
    /// string three times (a twentieth of a restart's instructions outside the unwinder).
    pub(crate) fn display_string(&self) -> String {
        let mut text = String::with_capacity(self.name.len() + self.urn.len() + 3);
        text.push_str(self.name);
        text.push_str(" (");
        text.push_str(&self.urn);
        text.push(')');
        text
    }

    pub(crate) fn new<A: 'static>() -> Self {
        Identity { id: NEXT_ID.fetch_add(1, Ordering::Relaxed), urn: Urn::new(), name: short_type_name::<A>() }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.urn)
    }
}

/// `my_crate::module::Counter<u8>` becomes `Counter`, as Pykka names actors by class name.
pub(crate) fn short_type_name<A: 'static>() -> &'static str {
    thread_local! {
        /// The last full name shortened on this thread, and its short name: actors are mostly
        /// started many of one type in a row, and the two searches were a twentieth of a
        /// spawn's instructions.
        static LAST: std::cell::Cell<(&'static str, &'static str)> = const { std::cell::Cell::new(("", "")) };
    }
    let full = std::any::type_name::<A>();
    LAST.with(|last| {
        let (last_full, last_short) = last.get();
        if std::ptr::eq(last_full, full) {
            return last_short;
        }
        let short = shorten(full);
        last.set((full, short));
        short
    })
}

fn shorten(full: &str) -> &str {
    let without_generics = full.find('<').map_or(full, |i| &full[..i]);
    without_generics.rfind(':').map_or(without_generics, |i| &without_generics[i + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;
    #[allow(dead_code)]
    struct Generic<T>(T);

    #[test]
    fn short_names_drop_the_module_path_and_generics() {
        // Twice each, alternating: the second reads come from the thread's cache.
        for _ in 0..2 {
            assert_eq!(short_type_name::<Plain>(), "Plain");
            assert_eq!(short_type_name::<Generic<Vec<u8>>>(), "Generic");
            assert_eq!(short_type_name::<Generic<Plain>>(), "Generic");
            assert_eq!(short_type_name::<u8>(), "u8");
        }
    }

    #[test]
    fn urns_are_uuid_v4_and_unique() {
        let a = Identity::new::<Plain>();
        let b = Identity::new::<Plain>();
        assert!(a.urn.starts_with("urn:uuid:"));
        assert_eq!(a.urn.len(), "urn:uuid:".len() + 36);
        assert_ne!(*a.urn, *b.urn);
        assert!(b.id > a.id);
        assert_eq!(a.to_string(), format!("Plain ({})", a.urn));
        assert_eq!(a.display_string(), a.to_string());
    }

    /// Threads racing to read a URN for the first time all get the same one.
    #[test]
    fn racing_first_reads_of_a_urn_agree() {
        for _ in 0..50 {
            let identity = std::sync::Arc::new(Identity::new::<Plain>());
            let start = std::sync::Arc::new(std::sync::Barrier::new(4));
            let readers: Vec<_> = (0..4)
                .map(|_| {
                    let (identity, start) = (identity.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        identity.urn.to_string()
                    })
                })
                .collect();
            let urns: Vec<String> = readers.into_iter().map(|r| r.join().expect("a reader ends")).collect();
            assert!(urns.iter().all(|urn| *urn == urns[0]), "{urns:?}");
            assert_eq!(urns[0], *identity.urn);
        }
    }

    /// A URN first read while a thread's locals are destroyed (after those registered later,
    /// such as a thread-local random generator) is still made: a panic there aborts.
    #[test]
    fn a_urn_can_be_first_read_in_a_thread_local_destructor() {
        struct ReadsUrnOnDrop(Identity, std::sync::mpsc::Sender<String>);
        impl Drop for ReadsUrnOnDrop {
            fn drop(&mut self) {
                let _ = self.1.send(self.0.urn.to_string());
            }
        }
        thread_local! {
            static HELD: std::cell::RefCell<Option<ReadsUrnOnDrop>> = const { std::cell::RefCell::new(None) };
        }
        let (sender, urns) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            HELD.with(|held| *held.borrow_mut() = Some(ReadsUrnOnDrop(Identity::new::<Plain>(), sender)));
            // Whatever thread-local state drawing a UUID uses is registered after `HELD`, and
            // so destroyed before it.
            let _ = uuid::Uuid::new_v4();
        })
        .join()
        .expect("the thread ends normally");
        let urn = urns.recv_timeout(std::time::Duration::from_secs(10)).expect("the URN was read in the destructor");
        assert!(urn.starts_with("urn:uuid:"), "{urn}");
    }
}
