#!/usr/bin/env python3
"""Writes test images into a folder, each with the pixels a correct decoder must produce.

Usage: make_images.py FOLDER
For each NAME.png / NAME.jpg there is NAME.rgb ("WIDTH HEIGHT\n" then RGB bytes) when the
expected pixels are known: PNGs are lossless, and for JPEGs the pixels are Pillow's decoding.
Broken files (truncated, damaged, not an image) come without one.
"""
import struct
import sys
import zlib
from pathlib import Path

from PIL import Image

folder = Path(sys.argv[1])
folder.mkdir(parents=True, exist_ok=True)


def write_rgb(name, width, height, rgb):
    (folder / f"{name}.rgb").write_bytes(f"{width} {height}\n".encode() + bytes(rgb))


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png(width, height, bit_depth, colour_type, rows, palette=None):
    raw = b"".join(b"\x00" + row for row in rows)
    head = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    body = chunk(b"IHDR", head)
    if palette is not None:
        body += chunk(b"PLTE", bytes(palette))
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


width, height = 67, 45
pixels = [((x * 7 + y) % 256, (y * 11) % 256, (x * y) % 256) for y in range(height) for x in range(width)]
flat = [value for pixel in pixels for value in pixel]

rows = [bytes(flat[y * width * 3:(y + 1) * width * 3]) for y in range(height)]
(folder / "rgb8.png").write_bytes(png(width, height, 8, 2, rows))
write_rgb("rgb8", width, height, flat)

rows16 = [b"".join(struct.pack(">H", v * 257) for v in flat[y * width * 3:(y + 1) * width * 3]) for y in range(height)]
(folder / "rgb16.png").write_bytes(png(width, height, 16, 2, rows16))
write_rgb("rgb16", width, height, flat)

grey = [r for r, _, _ in pixels]
(folder / "grey8.png").write_bytes(png(width, height, 8, 0, [bytes(grey[y * width:(y + 1) * width]) for y in range(height)]))
write_rgb("grey8", width, height, [g for g in grey for _ in range(3)])

palette = [(0, 0, 0), (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]
indices = [(x + y) % len(palette) for y in range(height) for x in range(width)]
(folder / "palette.png").write_bytes(png(width, height, 8, 3, [bytes(indices[y * width:(y + 1) * width]) for y in range(height)],
                                         palette=[v for colour in palette for v in colour]))
write_rgb("palette", width, height, [v for i in indices for v in palette[i]])

# Opaque alpha: compositing must leave the colours as they are.
rgba_rows = [b"".join(bytes(pixels[y * width + x]) + b"\xff" for x in range(width)) for y in range(height)]
(folder / "rgba.png").write_bytes(png(width, height, 8, 6, rgba_rows))
write_rgb("rgba", width, height, flat)

# One colour: no gradients, so a PDQ quality of zero.
(folder / "flat.png").write_bytes(png(100, 80, 8, 0, [bytes([128] * 100)] * 80))
write_rgb("flat", 100, 80, [128] * (100 * 80 * 3))

photo = Image.new("RGB", (width, height))
photo.putdata(pixels)
photo.save(folder / "photo.jpg", quality=92)
write_rgb("photo", width, height, Image.open(folder / "photo.jpg").convert("RGB").tobytes())

photo.convert("L").save(folder / "grey.jpg", quality=92)
write_rgb("grey", width, height, Image.open(folder / "grey.jpg").convert("RGB").tobytes())

photo.convert("CMYK").save(folder / "cmyk.jpg", quality=92)

whole = (folder / "photo.jpg").read_bytes()
(folder / "truncated.jpg").write_bytes(whole[: len(whole) // 2])
damaged = bytearray((folder / "rgb8.png").read_bytes())
damaged[60] ^= 0xFF
(folder / "damaged.png").write_bytes(bytes(damaged))
(folder / "text.png").write_bytes(b"this is not an image\n")
(folder / "empty.jpg").write_bytes(b"")
