//! `nagare policy`: every example's execution-role policy is a well-formed
//! IAM policy (unique alphanumeric Sids, actions and resources in every
//! statement) and is snapshotted, so a change in what a role may do shows
//! up in review.

use crate::harness::{Test, examples};

#[test]
fn every_example_has_a_well_formed_least_privilege_policy() {
    for flow in examples() {
        let out = Test::new()
            .args(["policy".to_string(), flow.display().to_string()])
            .run()
            .code(0);
        let policy: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(policy["Version"], "2012-10-17");
        let statements = policy["Statement"].as_array().expect("statements");
        assert!(!statements.is_empty(), "{}", flow.display());
        let mut sids = std::collections::BTreeSet::new();
        for s in statements {
            let sid = s["Sid"].as_str().expect("Sid");
            assert!(sid.chars().all(|c| c.is_ascii_alphanumeric()), "{sid}");
            assert!(
                sids.insert(sid.to_string()),
                "Sid {sid} twice in {}",
                flow.display()
            );
            assert_eq!(s["Effect"], "Allow");
            assert!(s["Action"].as_array().is_some_and(|a| !a.is_empty()));
            assert!(s["Resource"].as_array().is_some_and(|r| !r.is_empty()));
        }
        let name = flow
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        insta::assert_snapshot!(name, out.stdout);
    }
}

#[test]
fn a_definition_gets_a_policy_too() {
    let out = Test::new()
        .file(
            "m.asl.json",
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:report", "End": true}}}"#,
        )
        .args(["policy", "m.asl.json"])
        .run()
        .code(0);
    let policy: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        policy["Statement"][0]["Resource"],
        serde_json::json!([
            "arn:aws:lambda:eu-west-1:123456789012:function:report",
            "arn:aws:lambda:eu-west-1:123456789012:function:report:*"
        ])
    );
}
