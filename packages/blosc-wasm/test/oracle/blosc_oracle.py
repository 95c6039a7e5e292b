"""Differential-test oracle: real c-blosc through Debian's python3-blosc.

argv: manifest.json blob.bin out.bin. For each case it decodes our chunk with c-blosc,
compresses the same input with c-blosc (1 thread) and appends that chunk to out.bin.
Prints one JSON list of results on stdout.
"""
import json
import sys

import blosc

blosc.set_nthreads(1)
cases = json.load(open(sys.argv[1]))
blob = open(sys.argv[2], "rb").read()
results = []
with open(sys.argv[3], "wb") as out:
    for case in cases:
        a, n = case["input"]
        data = blob[a : a + n]
        b, m = case["ours"]
        ours = blob[b : b + m]
        result = {}
        try:
            result["nativeDecodesOurs"] = blosc.decompress(ours) == data
        except Exception as e:  # report, never stop the batch
            result["nativeDecodesOurs"] = False
            result["error"] = str(e)
        chunk = blosc.compress(data, case["typesize"], case["clevel"], case["shuffle"], case["cname"])
        result["native"] = [out.tell(), len(chunk)]
        out.write(chunk)
        results.append(result)
print(json.dumps(results))
print(blosc.blosclib_version, file=sys.stderr)
