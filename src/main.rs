//! The factdiff command; everything it does is in the library.

fn main() -> std::process::ExitCode {
    factdiff::cli::run()
}
