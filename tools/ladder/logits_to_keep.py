"""Give a causal-LM ONNX export a `num_logits_to_keep` input, as recent Hub
exports (onnx-community) have: the language-model head then runs on the last
k positions only (k = 0 keeps every position, which is what an export without
the input computes).

Why: a forward pass over a prompt returns [batch, length, vocab] logits, yet
greedy generation reads only the last position and scoring only the
continuation's. For a 50-150K vocabulary the head is most of the memory a
batch needs; for the tiny ladder (257 bytes, 16-96 wide) it is most of the
arithmetic. transformers.js passes the input when a session declares it.

The head is the weight MatMul nearest to `logits` (MatMul, MatMulNBits,
MatMulInteger or Gemm); the slice goes on its activation input. In a
dynamically quantised (q8) export that input is already quantised, so the
run-time scale is still taken over every row, as without the input. Everything
from the slice to `logits` works position by position (matmul, cast, scale,
bias), so the kept rows are bit for bit the last rows of the full output.

    /usr/bin/python3 tools/ladder/logits_to_keep.py <model.onnx>...   # in place, idempotent
"""
import sys

import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np

INPUT = "num_logits_to_keep"
HEADS = {"MatMul", "MatMulNBits", "MatMulInteger", "Gemm"}


def head_input(graph):
    """(node, input index) whose input tensor the slice goes on."""
    producer = {o: n for n in graph.node for o in n.output}
    constants = {i.name for i in graph.initializer}
    # Tensors computed from the graph's inputs (activations), not from weights alone.
    live = {i.name for i in graph.input if i.name not in constants}
    for n in graph.node:  # nodes are topologically sorted in a valid model
        if any(i in live for i in n.input):
            live.update(n.output)
    # Breadth-first from logits back along activations: the first head found is the LM head.
    queue, seen = [producer["logits"]], set()
    while queue:
        n = queue.pop(0)
        if n.name in seen:
            continue
        seen.add(n.name)
        if n.op_type in HEADS:
            return n, next(k for k, i in enumerate(n.input) if i in live)
        queue += [producer[i] for i in n.input if i in live and i in producer]
    raise SystemExit("no language-model head (MatMul, MatMulNBits, MatMulInteger or Gemm) leads to logits")


def rank_of(model, name):
    """The rank of tensor `name` by ONNX shape inference, or None where it cannot tell."""
    inferred = onnx.shape_inference.infer_shapes(model)
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        if v.name == name and v.type.tensor_type.HasField("shape"):
            return len(v.type.tensor_type.shape.dim)
    return None


def add_input(model):
    graph = model.graph
    if any(i.name == INPUT for i in graph.input):
        return False
    node, index = head_input(graph)
    x = node.input[index]
    # The slice is along axis 1 of [batch, positions, hidden]. A Gemm head, or one fed through
    # a flattening Reshape, sees [batch * positions, hidden]: slicing it would cut the hidden size.
    rank = rank_of(model, x)
    if node.op_type == "Gemm" or rank not in (3, None):
        raise SystemExit(f"the head {node.name} ({node.op_type}) reads a rank-{rank or 2} input, not [batch, positions, hidden]; "
                         "this tool only adds num_logits_to_keep where the head sees positions on axis 1")
    graph.input.append(helper.make_tensor_value_info(INPUT, TensorProto.INT64, []))
    graph.initializer.extend([
        numpy_helper.from_array(np.array([1], dtype=np.int64), "logits_to_keep/shape"),
        numpy_helper.from_array(np.array([np.iinfo(np.int64).max], dtype=np.int64), "logits_to_keep/end"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "logits_to_keep/axis"),
    ])
    sliced = x + "/last_k"
    new = [
        # starts = [-k]: with k = 0 that is [0], every position.
        helper.make_node("Neg", [INPUT], ["logits_to_keep/neg"], name="logits_to_keep/Neg"),
        helper.make_node("Reshape", ["logits_to_keep/neg", "logits_to_keep/shape"], ["logits_to_keep/start"], name="logits_to_keep/Reshape"),
        helper.make_node("Slice", [x, "logits_to_keep/start", "logits_to_keep/end", "logits_to_keep/axis"], [sliced], name="logits_to_keep/Slice"),
    ]
    node.input[index] = sliced
    # logits is [batch, k, vocab] now, not [batch, sequence_length, vocab].
    for out in graph.output:
        if out.name == "logits" and len(out.type.tensor_type.shape.dim) > 1:
            out.type.tensor_type.shape.dim[1].dim_param = "logits_length"
    at = list(graph.node).index(node)
    for k, n in enumerate(new):
        graph.node.insert(at + k, n)
    return True


def main(paths):
    for path in paths:
        model = onnx.load(path)
        if add_input(model):
            onnx.checker.check_model(model)
            onnx.save(model, path)
            print(f"{path}: {INPUT} added")
        else:
            print(f"{path}: already has {INPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
