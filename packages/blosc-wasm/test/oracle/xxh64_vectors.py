"""Writes test/fixtures/xxh64-vectors.json: XXH64 (seed 0) of prefixes of the xxHash sanity
buffer, computed by the reference implementation (Debian's python3-xxhash). Rerun with
/usr/bin/python3 test/oracle/xxh64_vectors.py after changing LENGTHS."""
import json
import pathlib
import xxhash

PRIME32 = 2654435761
PRIME64 = 11400714785074694797
LENGTHS = list(range(0, 80)) + [127, 128, 129, 255, 256, 1000, 4095, 4096, 65536, 65537, 1 << 20]


def sanity_buffer(n):
    out = bytearray(n)
    gen = PRIME32
    for i in range(n):
        out[i] = gen >> 56
        gen = (gen * PRIME64) % (1 << 64)
    return bytes(out)


buf = sanity_buffer(max(LENGTHS))
vectors = [{"length": n, "xxh64": xxhash.xxh64(buf[:n]).hexdigest()} for n in LENGTHS]
doc = {
    "generator": "test/oracle/xxh64_vectors.py (python3-xxhash " + xxhash.VERSION + ")",
    "buffer": "byte i = top byte of PRIME32 * PRIME64^i mod 2^64 (the xxHash sanity buffer)",
    "vectors": vectors,
}
path = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "xxh64-vectors.json"
path.parent.mkdir(exist_ok=True)
path.write_text(json.dumps(doc, indent=1) + "\n")
print(f"wrote {len(vectors)} vectors to {path}")
