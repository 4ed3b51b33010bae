fn main() -> std::process::ExitCode {
    nagare::cli::main()
}
