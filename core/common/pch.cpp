// The precompiled header (torch/torch.h) is built with this file and reused by every room.
