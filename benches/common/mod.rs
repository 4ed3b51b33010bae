//! The flow generator the benchmarks share.

/// A realistic flow: every kind of stage, fan-in dependencies, retries,
/// catches, conditions, foreach, results that read earlier stages.
pub fn generate(stages: usize) -> String {
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

/// The sizes to measure: numbers given on the command line (`cargo bench`
/// also passes `--bench`, which is skipped), or 1,000, 10,000 and 20,000.
pub fn sizes() -> Vec<usize> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        vec![1_000, 10_000, 20_000]
    } else {
        sizes
    }
}
