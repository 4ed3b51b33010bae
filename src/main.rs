// The interpreter allocates many small JSON values; glibc's allocator spent
// over a third of a Pass-chain run in its free-list upkeep (perf), mimalloc
// a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    nagare::cli::main()
}
