//! Links the release binary as a position-dependent executable on Linux.
//!
//! A PIE binary this size carries 52,000 relative relocations: the dynamic
//! loader rewrites about 200 pages at every start, over 1 ms on the project's
//! machines, a quarter of `nagare check` on a small file (measured with
//! perf stat; see docs/performance.md). The price is that the executable's
//! own code is not placed at a random address; libraries still are.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The JSONata suite test asks `cargo metadata` for this platform's
    // packages only: resolving every platform's would need the network.
    if let Ok(target) = std::env::var("TARGET") {
        println!("cargo:rustc-env=NAGARE_BUILD_TARGET={target}");
    }
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
