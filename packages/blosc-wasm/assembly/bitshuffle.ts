// PLACEHOLDER: replaced by the SIMD bitshuffle kernel.
export function bitshuffle(typesize: i32, len: i32, src: usize, dst: usize, tmp: usize): i32 { return -1; }
export function bitunshuffle(typesize: i32, len: i32, src: usize, dst: usize, tmp: usize): i32 { return -1; }
