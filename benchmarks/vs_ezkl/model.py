"""A small MLP for the ezkl side of the benchmark, written as ONNX without torch.

numpy makes the weights (fixed seed), the `onnx` package (installed in the ezkl virtualenv only,
never a halo2py dependency) writes the graph: Gemm -> Relu -> Gemm -> Relu -> ... -> Gemm.

    python model.py --widths 16,64,64,8 --out mlp.onnx --data input.json

`--widths` lists the layer widths, input first. The input file is ezkl's JSON input format
({"input_data": [[...]]}). Nothing here imports ezkl.
"""

from __future__ import annotations

import argparse
import json

import numpy as np


def build(widths: list[int], seed: int = 0):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    nodes, inits = [], []
    prev = "input"
    last = len(widths) - 2
    for i, (n_in, n_out) in enumerate(zip(widths, widths[1:])):
        # Small weights keep the activations inside ezkl's lookup range after scaling.
        w = (rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)).astype(np.float32)
        b = (0.1 * rng.standard_normal(n_out)).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
        out = "output" if i == last else f"h{i}"
        gemm_out = out if i == last else f"g{i}"
        nodes.append(helper.make_node("Gemm", [prev, f"w{i}", f"b{i}"], [gemm_out], transB=1))
        if i != last:
            nodes.append(helper.make_node("Relu", [gemm_out], [out]))
        prev = out
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, widths[0]])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, widths[-1]])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write(widths: list[int], out: str, data: str, seed: int = 0) -> None:
    import onnx

    onnx.save(build(widths, seed), out)
    x = np.random.default_rng(seed + 1).uniform(-1, 1, widths[0]).round(3)
    with open(data, "w") as f:
        json.dump({"input_data": [x.tolist()]}, f)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--widths", required=True, help="layer widths, input first, e.g. 16,64,64,8")
    ap.add_argument("--out", default="mlp.onnx")
    ap.add_argument("--data", default="input.json")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    write([int(w) for w in a.widths.split(",")], a.out, a.data, a.seed)


if __name__ == "__main__":
    main()
