# Writes a checkpoint-shaped file (a TorchScript archive with our CRC trailer) whose __setstate__
# allocates 2 GiB when LibTorch loads it. Every declared size in it is honest, so only the forked,
# memory-limited probe can catch it. Usage: /usr/bin/python3 make_setstate_checkpoint.py OUT.pt
import io, struct, zlib, torch
class Greedy(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.zeros(2)
    @torch.jit.export
    def __getstate__(self):
        return (self.w, self.training)
    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]):
        self.w = torch.ones(1 << 29) + state[0].sum()
        self.training = state[1]
    def forward(self, x):
        return x + self.w.sum()
m = torch.jit.script(Greedy())
buf = io.BytesIO(); torch.jit.save(m, buf); b = buf.getvalue()
b += b"VAEXCRC1" + struct.pack(">I", zlib.crc32(b) & 0xffffffff) + struct.pack(">I", len(b))
import sys
open(sys.argv[1], "wb").write(b)
print(len(b))
