#ifndef CONCORD_IMAGE_DECODING_H
#define CONCORD_IMAGE_DECODING_H

#include <stddef.h>
#include <stdint.h>

/// Decoded pixels: width x height x 3 bytes of RGB, row by row, owned by the caller, who
/// frees them with `concord_free_pixels`. On failure `rgb` is NULL and `error` says why.
typedef struct {
    uint8_t *rgb;
    int width;
    int height;
    char error[200];
} concord_pixels;

/// Decodes a JPEG (greyscale, RGB/YCbCr, CMYK or YCCK) with libjpeg(-turbo). Any warning
/// the library raises, such as data ending early, is treated as an error: hashing a partly
/// decoded image would give a wrong signature.
concord_pixels concord_decode_jpeg(const uint8_t *data, size_t size, long max_pixels);

/// Decodes a PNG of any bit depth and colour type with libpng, alpha composited on black
/// and 16-bit samples reduced to 8 bits.
concord_pixels concord_decode_png(const uint8_t *data, size_t size, long max_pixels);

void concord_free_pixels(concord_pixels *pixels);

#endif
