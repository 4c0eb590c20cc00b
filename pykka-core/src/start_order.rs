//! A map from actors' start ids to values, iterated in start order: the registry's table.
//!
//! A sorted `Vec` with holes: actors join in (nearly) start order, so an insertion is nearly
//! always a push, a lookup is a binary search, and a removal leaves a hole, compacted away once
//! holes are half the table. A `BTreeMap` did the same at several times the cost per start and
//! stop (its node searches and rebalancing were a tenth of a spawn-and-stop).

pub(crate) struct StartOrder<T> {
    /// Sorted by id; `None` marks a removed entry.
    entries: Vec<(u64, Option<T>)>,
    holes: usize,
}

impl<T> Default for StartOrder<T> {
    fn default() -> Self {
        StartOrder { entries: Vec::new(), holes: 0 }
    }
}

impl<T> StartOrder<T> {
    fn position(&self, id: u64) -> Result<usize, usize> {
        self.entries.binary_search_by_key(&id, |(id, _)| *id)
    }

    /// Inserts or replaces the value of `id`; returns the one it replaced.
    pub(crate) fn insert(&mut self, id: u64, value: T) -> Option<T> {
        if self.entries.last().is_none_or(|(last, _)| *last < id) {
            self.entries.push((id, Some(value)));
            return None;
        }
        match self.position(id) {
            Ok(i) => {
                let old = self.entries[i].1.replace(value);
                if old.is_none() {
                    self.holes -= 1;
                }
                old
            }
            Err(i) => {
                self.entries.insert(i, (id, Some(value)));
                None
            }
        }
    }

    pub(crate) fn get(&self, id: u64) -> Option<&T> {
        self.position(id).ok().and_then(|i| self.entries[i].1.as_ref())
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut T> {
        self.position(id).ok().and_then(|i| self.entries[i].1.as_mut())
    }

    pub(crate) fn remove(&mut self, id: u64) -> Option<T> {
        let i = self.position(id).ok()?;
        let removed = self.entries[i].1.take()?;
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

    /// The values in start order.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.entries.iter().filter_map(|(_, value)| value.as_ref())
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
                    0..=4 => assert_eq!(table.insert(id, step), model.insert(id, step), "seed {seed}, insert {id}"),
                    5..=7 => assert_eq!(table.remove(id), model.remove(&id), "seed {seed}, remove {id}"),
                    8 => {
                        if let Some(value) = table.get_mut(id) {
                            *value += 1000;
                            *model.get_mut(&id).expect("the model has it too") += 1000;
                        }
                    }
                    _ => assert_eq!(table.get(id), model.get(&id), "seed {seed}, get {id}"),
                }
                assert!(table.values().eq(model.values()), "seed {seed}, step {step}: order differs");
                assert!(table.values().rev().eq(model.values().rev()));
                assert!(table.holes * 2 <= table.entries.len(), "holes are compacted");
            }
        }
    }
}
