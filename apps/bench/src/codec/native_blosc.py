"""Native c-blosc side of `bench codec` (python3-blosc, one thread).

Started once by the JS harness and driven case by case over stdin/stdout (see main), so each
native measurement runs right next to the JS ones for the same chunk. For each case it:
  * compresses with blosc.compress and saves the chunk (so JS can decode native chunks),
  * times blosc.compress, blosc.decompress_ptr into a preallocated numpy buffer (zero-alloc) and
    blosc.decompress (allocating bytes), median of N samples, each a loop of >= min_sample_ms,
  * decodes the chunk @colz/blosc-wasm wrote (if any) and checks it is bit-exact with the input.
Inputs are files written by the JS harness (same bytes). Only the codec calls are timed.
"""
import json
import sys
import time


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n == 0:
        return float("nan")
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def measure(fn, reps, min_sample_ms, warmup):
    for _ in range(warmup):
        fn()
    target = min_sample_ms * 1e6
    clock = time.perf_counter_ns
    k = 1
    while True:
        t0 = clock()
        for _ in range(k):
            fn()
        dt = clock() - t0
        if dt >= target or k >= 1 << 24:
            break
        est = -(-int(k * target * 1.2) // max(dt, 1))
        k = min(k * 16, max(k * 2, est))
    per_call = []
    for _ in range(reps):
        t0 = clock()
        for _ in range(k):
            fn()
        per_call.append((clock() - t0) / k)
    return {
        "medianNs": median(per_call),
        "minNs": min(per_call),
        "maxNs": max(per_call),
        "reps": reps,
        "inner": k,
    }


def first_difference(a, b):
    if len(a) != len(b):
        return "%d bytes, expected %d" % (len(a), len(b))
    for i in range(len(a)):
        if a[i] != b[i]:
            return "differs from the input at byte %d of %d" % (i, len(b))
    return None


def err(e):
    return "%s: %s" % (type(e).__name__, e)


def run_case(blosc, np, case, opts, inputs):
    path = case["input"]
    if path not in inputs:
        with open(path, "rb") as f:
            inputs[path] = f.read()
    data = inputs[path]
    ts, cl, sh, cn = case["typesize"], case["clevel"], case["shuffle"], case["cname"]
    res = {"id": case["id"], "nbytes": len(data)}
    timing = dict(reps=opts["reps"], min_sample_ms=opts["min_sample_ms"], warmup=opts["warmup"])

    chunk = None
    try:
        chunk = blosc.compress(data, ts, cl, sh, cn)
        with open(case["native_out"], "wb") as f:
            f.write(chunk)
        res["cbytes"] = len(chunk)
        res["chunk"] = case["native_out"]
        back = blosc.decompress(chunk)
        bad = first_difference(back, data)
        if bad:
            raise RuntimeError("native round trip " + bad)
    except Exception as e:  # noqa: BLE001 - every failure is reported, never fatal
        res["error"] = err(e)

    if chunk is not None and "error" not in res:
        try:
            res["encode"] = measure(lambda: blosc.compress(data, ts, cl, sh, cn), **timing)
        except Exception as e:  # noqa: BLE001
            res["encode"] = {"error": err(e)}
        out = np.empty(len(data), dtype=np.uint8)
        ptr = out.__array_interface__["data"][0]
        try:
            res["decode"] = measure(lambda: blosc.decompress_ptr(chunk, ptr), **timing)
        except Exception as e:  # noqa: BLE001
            res["decode"] = {"error": err(e)}
        try:
            res["decodeAlloc"] = measure(lambda: blosc.decompress(chunk), **timing)
        except Exception as e:  # noqa: BLE001
            res["decodeAlloc"] = {"error": err(e)}

    ours = case.get("ours_chunk")
    if ours:
        try:
            with open(ours, "rb") as f:
                theirs = f.read()
            got = blosc.decompress(theirs)
            bad = first_difference(got, data)
            res["decodesOurs"] = {"ok": bad is None, **({"error": bad} if bad else {})}
        except Exception as e:  # noqa: BLE001
            res["decodesOurs"] = {"ok": False, "error": err(e)}
    return res


def main():
    """Line protocol: one JSON request per stdin line, one JSON reply per stdout line.

    First reply (unprompted): {"available": bool, versions...}. Then each request
    {"reps", "min_sample_ms", "warmup", "case": {...}} gets the case result.
    """
    out = sys.stdout
    hello = {"available": False}
    try:
        import blosc
        import numpy as np
    except Exception as e:  # noqa: BLE001
        hello["error"] = err(e)
        out.write(json.dumps(hello) + "\n")
        out.flush()
        return
    blosc.set_nthreads(1)
    hello.update(
        available=True,
        bloscVersion=blosc.VERSION_STRING,
        pythonBlosc=blosc.__version__,
        numpy=np.__version__,
        python=sys.version.split()[0],
        nthreads=1,
    )
    out.write(json.dumps(hello) + "\n")
    out.flush()
    inputs = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            res = run_case(blosc, np, req["case"], req, inputs)
        except Exception as e:  # noqa: BLE001
            res = {"id": req.get("case", {}).get("id"), "error": err(e)}
        out.write(json.dumps(res) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
