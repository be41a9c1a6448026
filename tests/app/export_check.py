"""Runs exported models in Debian's python3-torch and python3-onnx, as a user's notebook would.

Usage: /usr/bin/python3 export_check.py FOLDER
FOLDER holds model.pt (TorchScript, part vae), vae.onnx, decoder.onnx, the inputs z.f32 and
x.f32, the app's own outputs (images.f32, mu.f32, logvar.f32) and shapes.json. Prints one line
per comparison, `name max_abs_error`, and `attribute name value` lines; tst_modelexport judges
them. Standard library, torch and onnx only.
"""
import json
import sys

import onnx
import torch


def tensor(folder, name, shape):
    with open(f"{folder}/{name}.f32", "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape)


def main(folder):
    shapes = json.load(open(f"{folder}/shapes.json"))
    n, d, c, h, w = (shapes[k] for k in ("count", "latent_dim", "channels", "rows", "cols"))
    z, x = tensor(folder, "z", (n, d)), tensor(folder, "x", (n, c, h, w))
    images = tensor(folder, "images", (n, c, h, w))
    mu, logvar = tensor(folder, "mu", (n, d)), tensor(folder, "logvar", (n, d))
    model = torch.jit.load(f"{folder}/model.pt")
    with torch.no_grad():
        decoded = model.decode(z)
        got_mu, got_logvar = model.encode(x)
        forward_images, forward_mu, _ = model(x)
    print("torchscript_decode", float((decoded - images).abs().max()))
    print("torchscript_shape", "x".join(str(s) for s in decoded.shape))
    print("torchscript_mu", float((got_mu - mu).abs().max()))
    print("torchscript_logvar", float((got_logvar - logvar).abs().max()))
    print("torchscript_forward_mu", float((forward_mu - mu).abs().max()))
    print("torchscript_forward_images", float((forward_images - model.decode(mu)).abs().max()))
    print("attribute latent_dim", model.latent_dim)
    print("attribute class_names", json.dumps(list(model.class_names)))
    for name in ("vae", "decoder"):
        proto = onnx.load(f"{folder}/{name}.onnx")
        onnx.checker.check_model(proto, full_check=True)
        opset = max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
        print(f"onnx_checked {name} opset {opset}")
        print(f"onnx_metadata {name} latent_dim", {p.key: p.value for p in proto.metadata_props}["latent_dim"])


main(sys.argv[1])
