#!/usr/bin/env python3
"""An export whose key/value cache is float16, as Optimum's fp16 and q4f16
exports have, made from a rung's fp32 export by casting the cache at the
graph's edges (the weights and arithmetic stay fp32). The runner's tests use
it (packages/runner/src/__fixtures__/fp16-cache) to check that gathering cache
rows keeps the cache's element type.

    /usr/bin/python3 tools/ladder/fp16_cache.py packages/ladder-tiny/models/tiny-1/onnx/model.onnx out.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper


def main(src, dst):
    m = onnx.load(src)
    g = m.graph
    before, after = [], []
    for inp in g.input:
        if inp.name.startswith("past_key_values"):
            inp.type.tensor_type.elem_type = TensorProto.FLOAT16
            f32 = inp.name + "_f32"
            for node in g.node:
                for i, x in enumerate(node.input):
                    if x == inp.name:
                        node.input[i] = f32
            before.append(helper.make_node("Cast", [inp.name], [f32], to=TensorProto.FLOAT, name=inp.name + "_cast"))
    for out in g.output:
        if out.name.startswith("present"):
            f32 = out.name + "_f32"
            for node in g.node:
                for i, x in enumerate(node.output):
                    if x == out.name:
                        node.output[i] = f32
                for i, x in enumerate(node.input):
                    if x == out.name:
                        node.input[i] = f32
            after.append(helper.make_node("Cast", [f32], [out.name], to=TensorProto.FLOAT16, name=out.name + "_cast"))
            out.type.tensor_type.elem_type = TensorProto.FLOAT16
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(before + nodes + after)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
