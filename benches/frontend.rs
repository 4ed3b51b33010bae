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

/// A realistic flow: every kind of stage, fan-in dependencies, retries,
/// catches, conditions, foreach, results that read earlier stages.
fn generate(stages: usize) -> String {
    let mut out = String::from(
        "flow generated {\n  comment \"benchmark\"\n  schedule cron(\"0 18 * * ? *\")\n  timeout 3h\n  defaults {\n    retry States.TaskFailed max 3 interval 5s backoff 2.0\n  }\n",
    );
    for i in 0..stages {
        let after = match i {
            0 => String::new(),
            1 => " after s0".to_string(),
            _ => format!(" after s{}, s{}", i - 1, i / 2),
        };
        let body = match i % 4 {
            0 => format!(
                "  collect s{i}{after} {{\n    comment \"collect {i}\"\n    run lambda \"arn:aws:lambda:ap-northeast-1:000000000000:function:f{i}\" {{\n      payload: {{\n        date: $.input.date\n        part: {i}\n      }}\n    }}\n    retry Lambda.ServiceException, Lambda.TooManyRequestsException max 5 interval 2s backoff 2.0 max_delay 1m jitter full\n    catch States.ALL -> alert\n    timeout 15m\n  }}\n"
            ),
            1 => format!(
                "  transform s{i}{after} {{\n    comment \"ctas {i}\"\n    run athena {{\n      query: \"SELECT * FROM raw_{i} WHERE dt = '2026-11-25'\"\n      workgroup: \"primary\"\n      output: \"s3://example-athena-results/\"\n    }}\n    result {{ id: $.QueryExecution.QueryExecutionId }}\n    catch States.ALL -> alert\n  }}\n"
            ),
            2 => format!(
                "  transform s{i}{after}\n      when $.input.full == true and $.steps.s{}.id exists {{\n    comment \"crawl {i}\"\n    run glue.crawler \"crawler-{i}\" {{\n      wait: true\n    }}\n    heartbeat 5m\n    timeout 1h\n  }}\n",
                i - 1
            ),
            _ => format!(
                "  visualize s{i}{after} foreach $.input.tables concurrency 4 {{\n    comment \"load {i}\"\n    run ecs {{\n      task_definition: \"embulk:1\"\n      launch_type: \"FARGATE\"\n      command: [\"run\", \"load.yml.liquid\"]\n      environment: {{ TABLE: $.item, N: States.Format(\"{{}}\", $.index) }}\n    }}\n  }}\n"
            ),
        };
        out.push_str(&body);
    }
    out.push_str("  handler alert {\n    run sns { topic: \"arn:aws:sns:ap-northeast-1:000000000000:alerts\", message: $.error.Cause }\n  }\n}\n");
    out
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks sizes.
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 20_000]
    } else {
        sizes
    };
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
