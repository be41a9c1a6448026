#!/usr/bin/python3
"""Hostile inputs for bench/hostile-inputs.sh, written into one folder.

`hostile_fixtures.py files DIR MNIST GOOD_CHECKPOINT` writes the broken checkpoints, IDX folders,
image folders and run files. `hostile_fixtures.py listen MODE PORTFILE` is a fake rendezvous
master on a free loopback port (written to PORTFILE): garbage, silent, never-accept or http.
Only the standard library, so the set-up needs nothing new.
"""
import gzip, http.server, json, os, random, socket, struct, sys, time, zlib

rng = random.Random(22)


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def idx_images(count, rows, cols, pixels=None):
    return struct.pack(">IIII", 0x803, count, rows, cols) + (pixels if pixels is not None else bytes(count * rows * cols))


def idx_labels(labels):
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def mnist_subset(mnist, split, count):
    with open(os.path.join(mnist, split + "-images-idx3-ubyte"), "rb") as f:
        f.read(16)
        pixels = f.read(count * 784)
    with open(os.path.join(mnist, split + "-labels-idx1-ubyte"), "rb") as f:
        f.read(8)
        labels = list(f.read(count))
    return pixels, labels


def idx_folder(root, name, train, test, gz=False, skip=()):
    """train/test: (images bytes, labels bytes). Writes the four files (gzipped when gz)."""
    files = {"train-images-idx3-ubyte": train[0], "train-labels-idx1-ubyte": train[1],
             "t10k-images-idx3-ubyte": test[0], "t10k-labels-idx1-ubyte": test[1]}
    for file, data in files.items():
        if file in skip:
            continue
        write(os.path.join(root, name, file + (".gz" if gz else "")), gzip.compress(data, 6) if gz else data)


def idx_fixtures(root, mnist):
    tp, tl = mnist_subset(mnist, "train", 1000)
    sp, sl = mnist_subset(mnist, "t10k", 200)
    good_train = (idx_images(1000, 28, 28, tp), idx_labels(tl))
    good_test = (idx_images(200, 28, 28, sp), idx_labels(sl))
    idx_folder(root, "idx-good", good_train, good_test)
    idx_folder(root, "idx-good-gz", good_train, good_test, gz=True)
    idx_folder(root, "idx-missing-labels", good_train, good_test, skip=("t10k-labels-idx1-ubyte",))
    idx_folder(root, "idx-bad-magic", (b"\x00\x00\x09\x03" + good_train[0][4:], good_train[1]), good_test)
    idx_folder(root, "idx-count-mismatch", good_train, (good_test[0], idx_labels(sl[:150])))
    idx_folder(root, "idx-truncated", (good_train[0][:len(good_train[0]) // 2], good_train[1]), good_test)
    idx_folder(root, "idx-zero-rows", (idx_images(1000, 0, 28, b""), good_train[1]), good_test)
    idx_folder(root, "idx-huge-rows", (idx_images(1000, 65535, 65535, b""), good_train[1]), good_test)
    idx_folder(root, "idx-huge-count", (idx_images(2_000_000_000, 28, 28, tp), good_train[1]), good_test)
    idx_folder(root, "idx-zero-count", (idx_images(0, 28, 28, b""), idx_labels([])), good_test)
    idx_folder(root, "idx-size-differs", good_train, (idx_images(200, 20, 20, sp[:200 * 400]), good_test[1]))
    idx_folder(root, "idx-empty-files", (b"", b""), (b"", b""))
    idx_folder(root, "idx-labels-255", (good_train[0], idx_labels([255] * 1000)), good_test)
    idx_folder(root, "idx-trailing-bytes", (good_train[0] + bytes(5000), good_train[1]), good_test)
    # The gzip bomb of defect 6: a 2-million-image header over zeros beside 1,000 labels.
    bomb = os.path.join(root, "idx-gzip-bomb")
    idx_folder(root, "idx-gzip-bomb", good_train, good_test, skip=("train-images-idx3-ubyte",))
    with gzip.open(os.path.join(bomb, "train-images-idx3-ubyte"), "wb", 9) as f:
        f.write(idx_images(2_700_000, 28, 28, b""))
        block = bytes(1 << 20)
        for _ in range(2000):
            f.write(block)
    idx_folder(root, "idx-gz-corrupt", good_train, good_test, gz=True)
    path = os.path.join(root, "idx-gz-corrupt", "train-images-idx3-ubyte.gz")
    data = bytearray(open(path, "rb").read())
    for i in range(200, len(data) - 20, 997):
        data[i] ^= 0x5A
    write(path, bytes(data))
    idx_folder(root, "idx-gz-truncated", good_train, good_test, gz=True)
    path = os.path.join(root, "idx-gz-truncated", "train-images-idx3-ubyte.gz")
    write(path, open(path, "rb").read()[:3000])


def png(width, height, pixels=None, color_type=0):
    """A PNG through zlib only; pixels None makes one tiny IDAT whatever the header claims."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    if pixels is None:
        raw = zlib.compress(bytes(64))
    else:
        rows = [b"\x00" + pixels[y * width * channels:(y + 1) * width * channels] for y in range(height)]
        raw = zlib.compress(b"".join(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def png16(width, height):
    """A 16-bit grey PNG (Qt reads it as Grayscale16)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"".join(struct.pack(">H", (x * 4000 + y * 300) & 0xFFFF) for x in range(width))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def palette_png(width, height):
    """An indexed (palette) PNG of four colours."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes((x + y) % 4 for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)) +
            chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def small_png(seed, side=12, color_type=0):
    r = random.Random(seed)
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    return png(side, side, bytes(r.randrange(256) for _ in range(side * side * channels)), color_type)


def image_class_folder(root, name, classes=("a", "b"), per_class=8):
    for c in classes:
        for i in range(per_class):
            write(os.path.join(root, name, c, f"{i}.png"), small_png(hash((name, c, i)) & 0xFFFF))


def image_fixtures(root):
    image_class_folder(root, "img-good")
    os.makedirs(os.path.join(root, "img-empty"), exist_ok=True)
    image_class_folder(root, "img-one-class", classes=("only",))
    write(os.path.join(root, "img-not-images", "a", "notes.txt"), b"hello\n")
    write(os.path.join(root, "img-not-images", "b", "data.bin"), bytes(100))
    variants = {
        "img-zero-byte": b"",
        "img-truncated-png": small_png(1)[:40],
        "img-text-as-png": b"this is not a picture\n" * 10,
        "img-huge-header-png": png(100000, 100000),
        "img-wide-png": png(1_000_000, 1),
        "img-huge-jpeg-header": b"\xff\xd8\xff\xc0\x00\x11\x08\xfd\xe8\xfd\xe8\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
                                + bytes(200) + b"\xff\xd9",
        "img-huge-bmp-header": b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) +
                               struct.pack("<IiiHHIIiiII", 40, 60000, 60000, 1, 24, 0, 0, 0, 0, 0, 0),
        "img-rgba-png": small_png(7, 12, 6),
        "img-rgb-png": small_png(8, 12, 2),
        "img-16bit-png": png16(12, 12),
        "img-palette-png": palette_png(12, 12),
        "img-wide-rgb-png": png(300, 7, bytes(rng.randrange(256) for _ in range(300 * 7 * 3)), 2),
    }
    for name, bad in variants.items():
        image_class_folder(root, name)
        write(os.path.join(root, name, "a", "odd.png"), bad)
    image_class_folder(root, "img-non-utf8")
    write(os.path.join(root, "img-non-utf8", "a").encode() + b"/caf\xe9\xff.png", small_png(3))
    write(os.path.join(root, "img-non-utf8").encode() + b"/cl\xe4ss/x.png", small_png(4))
    image_class_folder(root, "img-test-subfolder")
    image_class_folder(os.path.join(root, "img-test-subfolder"), "test", classes=("a", "b", "c"), per_class=2)
    image_class_folder(root, "img-deep")
    write(os.path.join(root, "img-deep", "a", *["d"] * 60, "deep.png"), small_png(5))
    image_class_folder(root, "img-many-classes", classes=[f"c{i}" for i in range(300)], per_class=2)


def checkpoint_fixtures(root, good):
    data = open(good, "rb").read()
    n = len(data)
    write(os.path.join(root, "ck-empty.pt"), b"")
    for share in (1, 10, 50, 99):
        write(os.path.join(root, f"ck-truncated-{share}pct.pt"), data[:n * share // 100])
    write(os.path.join(root, "ck-random.pt"), bytes(rng.randrange(256) for _ in range(n)))
    for offset in (10, 100, 1000, n // 3, n // 2, n - 200, n - 30, n - 5):
        flipped = bytearray(data)
        flipped[offset] ^= 0xFF
        write(os.path.join(root, f"ck-flip-{offset}.pt"), bytes(flipped))
    write(os.path.join(root, "ck-appended.pt"), data + bytes(4096))
    write(os.path.join(root, "ck-doubled.pt"), data + data)
    write(os.path.join(root, "ck-png.pt"), small_png(9))
    write(os.path.join(root, "ck-json.pt"), b'{"latent_dim": 2}')
    write(os.path.join(root, "ck-zip-of-text.pt"), b"PK\x03\x04" + bytes(26) + b"hello" * 100)


def run_file_fixtures(root):
    base = {"format": "vae-explorer-run", "version": 1, "dataset": "mnist", "epochs": 1, "hidden": [16], "threads": 1}

    def run_file(name, **changes):
        settings = dict(base, **changes)
        write(os.path.join(root, "rf-" + name + ".json"), json.dumps(settings).encode())

    run_file("good")
    run_file("batch-1e30", batch_size=1e30)
    run_file("batch-negative", batch_size=-1)
    run_file("batch-text", batch_size="abc")
    run_file("lr-zero", lr=0)
    run_file("lr-huge", lr=1e300)
    run_file("hidden-empty", hidden=[])
    run_file("hidden-huge", hidden=[16384] * 16)
    run_file("hidden-text", hidden=["a"])
    run_file("latent-zero", latent_dim=0)
    run_file("latent-huge", latent_dim=1_000_000_000)
    run_file("image-size-4096", image_size=4096)
    run_file("dataset-missing", dataset="/nonexistent/folder")
    run_file("dataset-empty", dataset="")
    run_file("beta-negative", beta=-1)
    run_file("epochs-zero", epochs=0)
    run_file("threads-huge", threads=1_000_000)
    run_file("unknown-key", colour_mode="rainbow")
    run_file("arch-bad", arch="transformer")
    run_file("likelihood-bad", likelihood="poisson")
    write(os.path.join(root, "rf-key-newline.json"), json.dumps(dict(base, **{"lr\nrm -rf": 1})).encode())
    write(os.path.join(root, "rf-missing-keys.json"), json.dumps({"format": "vae-explorer-run", "version": 1, "decoder_hidden": [16], "epochs": 1}).encode())
    write(os.path.join(root, "rf-empty.json"), b"")
    write(os.path.join(root, "rf-array.json"), b"[]")
    write(os.path.join(root, "rf-null.json"), b"null")
    write(os.path.join(root, "rf-invalid.json"), b'{"epochs": 1,,}')
    write(os.path.join(root, "rf-nan.json"), b'{"lr": NaN}')
    write(os.path.join(root, "rf-deep.json"), b"[" * 100000 + b"]" * 100000)
    write(os.path.join(root, "rf-big.json"), b'{"pad": "' + b"x" * (40 << 20) + b'"}')
    write(os.path.join(root, "rf-utf16.json"), json.dumps(base).encode("utf-16"))
    write(os.path.join(root, "rf-bom.json"), b"\xef\xbb\xbf" + json.dumps(base).encode())
    write(os.path.join(root, "rf-binary.json"), bytes(rng.randrange(256) for _ in range(5000)))


def listen(mode, port_file):
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    if mode == "http":
        port = server.getsockname()[1]
        server.close()
        httpd = http.server.HTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
        write(port_file, str(port).encode())
        httpd.serve_forever()
    server.listen(0 if mode == "never-accept" else 16)
    write(port_file, str(server.getsockname()[1]).encode())
    held = []
    while True:
        if mode == "never-accept":
            time.sleep(3600)
        conn, _ = server.accept()
        held.append(conn)
        if mode == "garbage":
            try:
                conn.sendall(b"\xff" * 4096)
            except OSError:
                pass


if __name__ == "__main__":
    if sys.argv[1] == "listen":
        listen(sys.argv[2], sys.argv[3])
    else:
        out, mnist, good = sys.argv[2:5]
        idx_fixtures(out, mnist)
        image_fixtures(out)
        checkpoint_fixtures(out, good)
        run_file_fixtures(out)
