//! The factdiff command; everything it does is in the library.

// Most of factdiff's work is many small allocations (tokens, keys, spans).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    factdiff::cli::run()
}
