//! What both benchmarks generate their data with.

/// A small deterministic generator (Knuth's MMIX LCG), so every run
/// benchmarks the same data.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).expect("31 bits fit in usize") % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// What a story's title does.
pub const VERBS: &[&str] = &[
    "Export",
    "Import",
    "Filter",
    "Search",
    "Archive",
    "Share",
    "Schedule",
    "Review",
    "Approve",
    "Reconcile",
    "Print",
    "Label",
];
