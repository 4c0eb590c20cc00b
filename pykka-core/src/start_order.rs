//! A map from actors' start ids to values, iterated in start order: the registry's table.
//!
//! A sorted `Vec` with holes: actors join in (nearly) start order, so an insertion is nearly
//! always a push, a lookup is a binary search, and a removal leaves a hole, compacted away once
//! holes are half the table. A `BTreeMap` did the same at several times the cost per start and
//! stop (its node searches and rebalancing were a tenth of a spawn-and-stop).

pub(crate) struct StartOrder<T> {
    /// Sorted by id; `None` marks a removed entry. The key is the id with the entry's flag in
    /// its top bit (ids count up from 1 and never reach it): a flag beside the value would
    /// make every entry 32 bytes instead of 24 (the table has one entry per running actor).
    entries: Vec<(u64, Option<T>)>,
    holes: usize,
}

/// The key's bit that holds the entry's flag.
const FLAG: u64 = 1 << 63;

/// Where [`StartOrder::find`] found a value, and its flag: valid until the table next changes
/// (the calls that take it consume it).
pub(crate) struct At {
    index: usize,
    pub(crate) flagged: bool,
}

impl<T> Default for StartOrder<T> {
    fn default() -> Self {
        StartOrder { entries: Vec::new(), holes: 0 }
    }
}

impl<T> StartOrder<T> {
    fn position(&self, id: u64) -> Result<usize, usize> {
        self.entries.binary_search_by_key(&id, |(key, _)| key & !FLAG)
    }

    /// Inserts or replaces the value of `id`, with its flag; returns the one it replaced.
    pub(crate) fn insert(&mut self, id: u64, value: T, flag: bool) -> Option<T> {
        debug_assert!(id & FLAG == 0, "an actor id reached the registry's flag bit");
        let key = if flag { id | FLAG } else { id };
        if self.entries.last().is_none_or(|(last, _)| last & !FLAG < id) {
            self.entries.push((key, Some(value)));
            return None;
        }
        match self.position(id) {
            Ok(i) => {
                self.entries[i].0 = key;
                let old = self.entries[i].1.replace(value);
                if old.is_none() {
                    self.holes -= 1;
                }
                old
            }
            Err(i) => {
                self.entries.insert(i, (key, Some(value)));
                None
            }
        }
    }

    /// The value of `id` and its flag.
    pub(crate) fn get(&self, id: u64) -> Option<(&T, bool)> {
        let (key, value) = &self.entries[self.position(id).ok()?];
        Some((value.as_ref()?, key & FLAG != 0))
    }

    /// Where `id`'s value is, and its flag, for the calls below: one search for a look and a
    /// change.
    pub(crate) fn find(&self, id: u64) -> Option<At> {
        let index = self.position(id).ok()?;
        let (key, value) = &self.entries[index];
        value.as_ref().map(|_| At { index, flagged: key & FLAG != 0 })
    }

    /// Sets the flag of the value found at `at`.
    pub(crate) fn set_flag(&mut self, at: At) {
        self.entries[at.index].0 |= FLAG;
    }

    /// Removes the value found at `at`.
    pub(crate) fn remove_at(&mut self, at: At) -> Option<T> {
        let removed = self.entries[at.index].1.take()?;
        self.holes += 1;
        // Trailing holes go at once (the next push then appends after a live entry); the rest
        // when they are half the table, so that each removal costs O(1) amortised.
        while self.entries.last().is_some_and(|(_, value)| value.is_none()) {
            self.entries.pop();
            self.holes -= 1;
        }
        if self.holes * 2 > self.entries.len() {
            self.entries.retain(|(_, value)| value.is_some());
            self.holes = 0;
        }
        Some(removed)
    }

    /// The values in start order, with their flags.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = (&T, bool)> {
        self.entries.iter().filter_map(|(key, value)| Some((value.as_ref()?, key & FLAG != 0)))
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::StartOrder;
    use std::collections::BTreeMap;

    /// Random operations, checked step by step against a `BTreeMap` (the model), with ids
    /// mostly increasing, as actors start, and sometimes out of order, as racing starts are.
    #[test]
    fn it_behaves_as_an_ordered_map_under_random_operations() {
        for seed in 1..=200u64 {
            let mut state = seed;
            let mut next = move || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let (mut table, mut model) = (StartOrder::default(), BTreeMap::new());
            let mut newest = 0u64;
            for step in 0..400 {
                let roll = next() % 10;
                let id = match roll {
                    0..=3 => {
                        newest += 1 + next() % 3;
                        newest
                    }
                    _ => next() % (newest + 2),
                };
                match roll {
                    0..=4 => {
                        let flag = next() % 2 == 0;
                        let replaced = model.insert(id, (step, flag)).map(|(value, _)| value);
                        assert_eq!(table.insert(id, step, flag), replaced, "seed {seed}, insert {id}");
                    }
                    5..=7 => {
                        let removed = model.remove(&id).map(|(value, _)| value);
                        let taken = table.find(id).and_then(|at| table.remove_at(at));
                        assert_eq!(taken, removed, "seed {seed}, remove {id}");
                    }
                    8 => {
                        if let Some(at) = table.find(id) {
                            table.set_flag(at);
                        }
                        if let Some((_, flag)) = model.get_mut(&id) {
                            *flag = true;
                        }
                    }
                    _ => assert_eq!(table.get(id), model.get(&id).map(|(v, f)| (v, *f)), "seed {seed}, get {id}"),
                }
                let expected = || model.values().map(|(v, f)| (v, *f));
                assert!(table.values().eq(expected()), "seed {seed}, step {step}: order or flags differ");
                assert!(table.values().rev().eq(expected().rev()));
                assert!(table.holes * 2 <= table.entries.len(), "holes are compacted");
            }
        }
    }
}
