#![allow(unsafe_code)] // the counting allocator below is the only unsafe code, and only here
//! Front-end benchmark: generates flows of 1,000 / 10,000 / 20,000 stages
//! (about 11 lines each) and reports parse + check time and peak heap.
//! Run with `cargo bench --bench frontend`. Target (issue 2): 10,000
//! stages in under 0.3 s and 200 MB, growing linearly.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts live and peak heap bytes, so the peak is the front end's own.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

mod common;
use common::generate;

fn main() {
    let sizes = common::sizes();
    println!(
        "{:>8} {:>8} {:>10} {:>12} {:>12} {:>12}",
        "stages", "lines", "bytes", "median ms", "min ms", "peak MB"
    );
    for stages in sizes {
        let text = generate(stages);
        let lines = text.lines().count();
        let runs = if stages <= 1_000 { 20 } else { 7 };
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..runs {
            let base = LIVE.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let start = Instant::now();
            let checked = nagare::check::check_text(&text);
            let elapsed = start.elapsed();
            assert!(
                !checked.has_errors(),
                "generated flow must check clean: {:?}",
                checked.diags.first()
            );
            drop(checked);
            times.push(elapsed.as_secs_f64() * 1e3);
            peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:>8} {:>8} {:>10} {:>12.1} {:>12.1} {:>12.1}",
            stages,
            lines,
            text.len(),
            times[times.len() / 2],
            times[0],
            (peak + text.len()) as f64 / 1e6
        );
    }
}
