//! Arbitrary bytes as a UBL document: parse, map, judge. Any panic is a bug.
//!
//! Seed it with the UBL examples of ../shared/corpus (see docs/FUZZING.md); the fuzzer
//! mutates them into truncated, mis-nested and mis-typed variants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = rules::validate(data);
});
